package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ℓ∞ task declares failure_rate and rank_deficient_rate as rates of its {@code draws}: a claim
 * may pool them (the report says so and shows both intervals); pooling anything else is refused
 * on one located line with exit 2, before a trial runs.
 */
class PooledRateClaimTest {

    @TempDir
    Path tmp;

    private static String experiment(String metric, String pool) {
        return """
                name: pooled
                task: linf-regression
                params: {n: 512, d: 8, noise: 1.0, draws: 12, epsilon: 1.0, instance: countsketch-hard}
                sweep:
                  grid:
                    sketch: [gaussian, countsketch]
                    m: ["16 * d"]
                repeats: 3
                claims:
                  - name: gaussian-meets-target
                    check: at_most
                    metric: %s
                    where: {sketch: gaussian}
                    value: 0.5
                    pool: %s
                """.formatted(metric, pool);
    }

    @Test
    void aPooledClaimIsReportedWithTheIntervalItUsedAndTheTIntervalBeside() throws Exception {
        InProcessCli.Result r = InProcessCli.runYaml(tmp, "pooled", experiment("failure_rate", "draws"));
        assertEquals(0, r.code(), r.toString());
        String report = Files.readString(tmp.resolve("results/pooled/report/report.md"));
        assertTrue(report.contains("Interval used: the draws of all seeds pooled, exact binomial (Clopper–Pearson) 95% interval;"
                + " the per-seed Student-t interval is shown beside it."), report);
        assertTrue(report.contains("/36 draws of 3 seeds pooled, Clopper–Pearson; per-seed t: "), report);
    }

    @Test
    void thePluginsListingNamesTheRates() {
        String out = InProcessCli.run("plugins", "--width", "200").out();
        assertTrue(out.contains("\n      rates: failure_rate (pool: draws), rank_deficient_rate (pool: draws)\n"), out);
    }

    @Test
    void poolingASummaryThatIsNotADeclaredRateIsOneLocatedLineAndExit2() throws Exception {
        Path file = tmp.resolve("pooled.yaml");
        Files.writeString(file, experiment("eps_eff_median", "draws"));
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(2, r.code(), r.toString());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(List.of("ablate: error: " + file + ":15: claims[0].pool: claim 'gaussian-meets-target': pool: draws pools the draws behind a rate,"
                + " but 'eps_eff_median' is not a rate task 'linf-regression' declares (rates: failure_rate (pool: draws),"
                + " rank_deficient_rate (pool: draws))"), lines, r.toString());
        Files.writeString(file, experiment("failure_rate", "m"));
        InProcessCli.Result wrongCount = InProcessCli.run("run", file.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(2, wrongCount.code(), wrongCount.toString());
        assertTrue(wrongCount.err().contains(":15: claims[0].pool: claim 'gaussian-meets-target': pool: m does not name the count of"
                + " 'failure_rate', which is a rate of 'draws'"), wrongCount.toString());
    }
}
