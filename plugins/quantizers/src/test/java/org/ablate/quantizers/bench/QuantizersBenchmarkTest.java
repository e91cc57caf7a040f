package org.ablate.quantizers.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;

/** `ablate bench quantizers` prints every row it promises, with or without the peer (not timed). */
class QuantizersBenchmarkTest {

    private static final String NUMBER = "\\d+(\\.\\d+)?";

    private static String bench(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "quantizers", "vectors=40", "dim=8",
                "codebook_sizes=[64,300]", "train_codebook_sizes=[16]", "batch_size=2", "steps=1", "runs=1", "memory_warmup=4",
                "search_bound=1024", "memory_steps=2", "memory_codebook_size=16"));
        args.addAll(List.of(extra));
        InProcessCli.Result r = InProcessCli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return r.out();
    }

    private static void assertRow(String out, String regex) {
        assertTrue(Pattern.compile("(?m)^\\s*" + regex + "\\s*$").matcher(out).find(), "no row /" + regex + "/ in\n" + out);
    }

    @Test
    void everyRowIsPrintedAndThePeerColumnsAreFilledWhenTorchIsThere() {
        boolean torch = TorchPeer.find().isPresent();
        String out = bench();
        assertRow(out, "ablate bench quantizers: .*sgemm " + NUMBER + " GFLOP/s at 2048\\^3 \\(Nd4j.gemm; row-major output "
                + NUMBER + ", column-major " + NUMBER + "\\)");
        String peerCell = torch ? NUMBER : "-";
        String ratioCell = torch ? NUMBER + "x" : "-";
        for (String k : List.of("64", "300")) {
            assertRow(out, k + " +" + NUMBER + " +" + NUMBER + " +\\d+% +" + peerCell + " +" + ratioCell);
        }
        for (String q : List.of("vq", "simvq")) {
            assertRow(out, q + " +16 +" + NUMBER + " +" + peerCell + " +" + ratioCell + " +\\d+ MB +\\d+ MB");
            // encoder, search, fit, codebook update: ms per step and share
            assertRow(out, q + " +16( +" + NUMBER + " \\( *\\d+%\\)){4}");
        }
        assertRow(out, "where the step goes \\(mean ms per step, share of the phases' sum\\)");
        assertRow(out, "steady-state memory, simvq K = 16: after 4 warm-up steps and after 2 more \\(each after a full GC\\)");
        assertRow(out, "JVM heap +\\d+ MB +\\d+ MB +-?" + NUMBER + "% +\\d+ MB");
        assertRow(out, "process RSS +\\d+ MB +\\d+ MB +-?" + NUMBER + "% +\\d+ MB");
        if (torch) {
            assertRow(out, "PyTorch peer: .* same run; its sgemm " + NUMBER + " GFLOP/s at 2048\\^3 \\(torch.mm\\)");
        } else {
            assertRow(out, "PyTorch peer: not run, .*install it with `apt-get install python3-torch`");
        }
    }

    @Test
    void peerOffLeavesThePeerColumnsEmptyAndSaysSo() {
        String out = bench("peer=off", "memory_steps=0", "codebook_sizes=[64]");
        assertRow(out, "PyTorch peer: off \\(peer=off\\)");
        assertRow(out, "64 +" + NUMBER + " +" + NUMBER + " +\\d+% +- +-");
        assertRow(out, "vq +16 +" + NUMBER + " +- +- +\\d+ MB +\\d+ MB");
        assertTrue(!out.contains("steady-state memory"), "memory_steps=0 skips the memory measurement:\n" + out);
    }
}
