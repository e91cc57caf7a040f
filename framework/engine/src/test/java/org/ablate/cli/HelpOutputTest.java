package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ablate.testing.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's --help, in a real CLI process: a bare '%' in a description makes picocli print
 * "[picocli WARN] Could not format ..." on stderr instead of the text.
 */
class HelpOutputTest {

    @TempDir
    Path tmp;

    @Test
    void everyCommandsHelpPrintsWithoutWarningsAndExitsZero() throws Exception {
        List<List<String>> invocations = new ArrayList<>();
        invocations.add(List.of("--help"));
        for (String name : AblateCli.commandLine().getSubcommands().keySet()) {
            invocations.add(name.equals("help") ? List.of("help") : List.of(name, "--help"));
        }
        assertTrue(invocations.size() >= 8, invocations.toString());
        for (List<String> args : invocations) {
            Path out = tmp.resolve(String.join("_", args).replace("-", "") + ".txt");
            Process p = CliProcess.start(tmp, out, args.toArray(String[]::new));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), args.toString());
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), args + ":\n" + text);
            assertFalse(text.contains("WARN"), args + ":\n" + text);
            assertTrue(text.contains("Usage: ablate"), args + ":\n" + text);
        }
    }

    @Test
    void reportHelpShowsThePercentSign() throws Exception {
        Path out = tmp.resolve("report.txt");
        Process p = CliProcess.start(tmp, out, "report", "--help");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.readString(out).contains("95% CI"), Files.readString(out));
    }
}
