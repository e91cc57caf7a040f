package org.ablate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.ablate.store.Json;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real probe sweep (x in {1, 2, 4} by n in {10, 20}, three seeds; result = x * n + noise) run
 * through the CLI, which writes the report; then verify, report, and the files they leave.
 */
class ReportEndToEndTest {

    private static final String EXPERIMENT = """
            name: e2e
            description: The probe task's arithmetic, as a paper would claim it.
            task: probe
            params: {steps: 20}
            sweep:
              grid:
                x: [1, 2, 4]
                n: [10, 20]
            repeats: 3
            report:
              plots:
                - {metric: result, x: x, group: n}
                - {metric: train/value, x: step, group: x, where: {n: 10}}
            claims:
              - name: result-grows-with-x
                source: probe arithmetic
                check: increasing
                metric: result
                along: x
                monotone: true
                paper: result = x * n + noise
              - name: result-at-least-five
                check: at_least
                metric: result
                where: {x: 1, n: 10}
                value: 5
                paper: at least 5
              - name: doubling-n
                check: ratio_at_least
                metric: result
                where: {n: 20}
                baseline: {n: 10}
                factor: 1.2
                paper: 2x
              - name: result-small
                source: a wrong paper
                check: at_most
                metric: result
                where: {x: 1, n: 10}
                value: 5
                paper: below 5
              - name: needs-more-seeds
                check: within
                metric: noise
                value: 0.5
                tolerance: 0.5
                min_seeds: 4
                paper: noise is 0.5 on average
            """;

    @TempDir
    static Path tmp;

    private static Path file;
    private static Path results;
    private static Path experimentDir;
    private static InProcessCli.Result run;

    @BeforeAll
    static void runTheSweep() throws Exception {
        file = tmp.resolve("e2e.yaml");
        Files.writeString(file, EXPERIMENT);
        results = tmp.resolve("results");
        experimentDir = results.resolve("e2e");
        run = InProcessCli.run("run", file.toString(), "--progress", "log", "--results-dir", results.toString());
    }

    /** (x, n) -> metric -> its values over the seeds, read straight from the trial folders. */
    private static Map<List<Double>, Map<String, List<Double>>> summaries() throws Exception {
        Map<List<Double>, Map<String, List<Double>>> out = new LinkedHashMap<>();
        Map<String, Object> sweep = Json.readMap(experimentDir.resolve("sweep.json"));
        for (Object o : (List<?>) sweep.get("trials")) {
            Path trial = experimentDir.resolve(String.valueOf(((Map<?, ?>) o).get("id")));
            Map<?, ?> params = (Map<?, ?>) Json.readMap(trial.resolve("config.json")).get("params");
            List<Double> key = List.of(((Number) params.get("x")).doubleValue(), ((Number) params.get("n")).doubleValue());
            Json.readMap(trial.resolve("summary.json")).forEach((k, v) ->
                    out.computeIfAbsent(key, x -> new LinkedHashMap<>()).computeIfAbsent(k, x -> new ArrayList<>()).add(Json.toDouble(v)));
        }
        return out;
    }

    private static Stat stat(List<Double> values) {
        return Stat.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void runWritesTheReportAndPrintsTheClaims() throws Exception {
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("e2e: 18 finished, 0 failed, 0 interrupted, 0 skipped (already finished) -> "), run.out());
        assertTrue(run.out().contains("report: " + experimentDir.resolve("report").resolve("report.md")), run.out());
        assertTrue(run.out().contains("  PASS         result-grows-with-x: 4 of 4 comparisons pass (paper: result = x * n + noise)\n"),
                run.out());
        assertTrue(run.out().contains("  FAIL         result-small: "), run.out());
        assertTrue(run.out().contains("  INCONCLUSIVE needs-more-seeds: "), run.out());
        assertEquals("", run.err());
        for (String f : List.of("report.md", "aggregates.csv", "claims.csv", "plot-1-result-vs-x.png", "plot-1-result-vs-x.csv",
                "plot-2-train-value-vs-step.png", "plot-2-train-value-vs-step.csv")) {
            assertTrue(Files.isRegularFile(experimentDir.resolve("report").resolve(f)), f);
        }
    }

    @Test
    void verifyListsEveryClaimAndExits1OnAFail() throws Exception {
        InProcessCli.Result v = InProcessCli.run("verify", file.toString(), "--results-dir", results.toString());
        assertEquals(1, v.code(), v.out() + v.err());
        assertEquals("", v.err());
        List<String> headlines = v.out().lines().filter(l -> !l.startsWith(" ")).toList();
        assertEquals(List.of(
                "PASS         result-grows-with-x [probe arithmetic]",
                "PASS         result-at-least-five",
                "PASS         doubling-n",
                "FAIL         result-small [a wrong paper]",
                "INCONCLUSIVE needs-more-seeds",
                "e2e: 5 claim(s): 3 PASS, 1 FAIL, 1 INCONCLUSIVE"), headlines);
        Stat small = stat(summaries().get(List.of(1.0, 10.0)).get("result"));
        assertTrue(v.out().contains("             paper: below 5\n"), v.out());
        assertTrue(v.out().contains("             FAIL         x=1.0 n=10: " + ClaimEvaluator.describe(small) + " (≤ 5)\n"), v.out());
        assertTrue(v.out().contains("; too few seeds: 3 finished, the claim needs 4\n"), v.out());
        assertTrue(v.out().contains("             PASS         n=10: x 1.0 → 2.0: "), v.out());
        assertTrue(v.out().contains("             PASS         x=4.0 n=20 vs x=4.0 n=10: "), v.out());
    }

    @Test
    void reportMdPutsThePapersValuesBesideTheMeasuredOnes() throws Exception {
        String md = Files.readString(experimentDir.resolve("report/report.md"));
        assertTrue(md.startsWith("# e2e\n\nThe probe task's arithmetic, as a paper would claim it.\n\n"), md);
        assertTrue(md.contains("18 trials planned: 18 finished, 0 failed, 0 interrupted, 0 not started. 6 configurations;"), md);
        assertTrue(md.contains("## Claims: 3 PASS, 1 FAIL, 1 INCONCLUSIVE\n"), md);
        assertTrue(md.contains("| Claim | Verdict | Paper | Measured here | Source |\n"), md);
        Stat small = stat(summaries().get(List.of(1.0, 10.0)).get("result"));
        assertTrue(md.contains("| result-small | **FAIL** | below 5 | " + ClaimEvaluator.describe(small) + " | a wrong paper |\n"), md);
        assertTrue(md.contains("| result-at-least-five | **PASS** | at least 5 | " + ClaimEvaluator.describe(small) + " | – |\n"), md);
        assertTrue(md.contains("| result-grows-with-x | **PASS** | result = x * n + noise | 4 of 4 comparisons pass | probe arithmetic |\n"), md);
        assertTrue(md.contains("| doubling-n | **PASS** | 2x | 3 of 3 comparisons pass | – |\n"), md);
        assertTrue(md.contains("| needs-more-seeds | **INCONCLUSIVE** | noise is 0.5 on average | 0 of 6 comparisons pass | – |\n"), md);
        assertTrue(md.contains("![result vs x](plot-1-result-vs-x.png)"), md);
        assertTrue(md.contains("(plot-2-train-value-vs-step.png)"), md);
        assertTrue(md.contains("### result\n\n| x | n | seeds | mean | std | 95% CI |\n"), md);
        assertTrue(md.contains("| 1.0 | 10 | 3/3 | " + ReportWriter.fmt(small.mean()) + " | " + ReportWriter.fmt(small.std()) + " | ["
                + ReportWriter.fmt(small.ciLow()) + ", " + ReportWriter.fmt(small.ciHigh()) + "] |\n"), md);

        // `ablate report` makes the same report again
        InProcessCli.Result r = InProcessCli.run("report", "e2e", "--results-dir", results.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("report: " + experimentDir.resolve("report/report.md") + "\n"), r.out());
        assertEquals(md, Files.readString(experimentDir.resolve("report/report.md")));
    }

    @Test
    void aggregatesCsvHoldsTheMeansOfTheSummaries() throws Exception {
        Map<List<Double>, Map<String, List<Double>>> expected = summaries();
        List<String> lines = Files.readAllLines(experimentDir.resolve("report/aggregates.csv"));
        assertEquals("x,n,metric,seeds,trials,mean,std,ci95_low,ci95_high", lines.get(0));
        assertEquals(1 + 6 * 2, lines.size(), String.join("\n", lines));
        Set<String> seen = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(9, f.length, line);
            List<Double> key = List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]));
            List<Double> values = expected.get(key).get(f[2]);
            assertNotNull(values, line);
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(3, Integer.parseInt(f[3]), line);
            assertEquals(3, Integer.parseInt(f[4]), line);
            assertEquals(mean, Double.parseDouble(f[5]), 1e-12 * Math.max(1, Math.abs(mean)), line);
            Stat s = stat(values);
            assertEquals(s.std(), Double.parseDouble(f[6]), 1e-12, line);
            assertTrue(Double.parseDouble(f[7]) <= mean && mean <= Double.parseDouble(f[8]), line);
            assertEquals(s.ciLow(), Double.parseDouble(f[7]), 1e-9, line);
            assertTrue(seen.add(f[0] + "," + f[1] + "," + f[2]), "one row per configuration and metric: " + line);
        }
        // result = x * n + noise, noise in [0, 1)
        for (var e : expected.entrySet()) {
            double xn = e.getKey().get(0) * e.getKey().get(1);
            for (double r : e.getValue().get("result")) {
                assertTrue(r >= xn && r < xn + 1, e.toString());
            }
        }

        List<String> claims = Files.readAllLines(experimentDir.resolve("report/claims.csv"));
        assertEquals("claim,check,metric,verdict,paper,measured,source", claims.get(0));
        assertEquals(6, claims.size());
        assertTrue(claims.get(4).startsWith("result-small,at_most,result,FAIL,below 5,"), claims.get(4));

        List<String> plot = Files.readAllLines(experimentDir.resolve("report/plot-2-train-value-vs-step.csv"));
        assertEquals("series,x,seeds,mean,ci95_low,ci95_high", plot.get(0));
        assertEquals(1 + 3 * 20, plot.size(), "three series of 20 steps");
        // train/value = x * step + noise: at step 10 of x=4, the mean is 40 + the mean noise
        double noise = expected.get(List.of(4.0, 10.0)).get("noise").stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        String row = plot.stream().filter(l -> l.startsWith("x=4.0,10.0,")).findFirst().orElseThrow();
        assertEquals(40 + noise, Double.parseDouble(row.split(",")[3]), 1e-9, row);
    }

    @Test
    void everyPlotIsADrawnPng() throws Exception {
        checkPng(experimentDir.resolve("report/plot-1-result-vs-x.png"), List.of(0x1f77b4, 0xd62728));
        checkPng(experimentDir.resolve("report/plot-2-train-value-vs-step.png"), List.of(0x1f77b4, 0xd62728, 0x2ca02c));
    }

    private static void checkPng(Path png, List<Integer> seriesColours) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode");
        assertEquals(PlotRenderer.WIDTH, image.getWidth());
        assertEquals(PlotRenderer.HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        assertTrue(colours.size() > 10, png + ": " + colours.size() + " colours");
        // the plot area: right of the y axis labels, left of the legend, between title and x axis
        for (int colour : seriesColours) {
            int count = 0;
            for (int y = image.getHeight() / 10; y < image.getHeight() * 85 / 100; y++) {
                for (int x = image.getWidth() / 8; x < image.getWidth() * 7 / 10; x++) {
                    if ((image.getRGB(x, y) & 0xffffff) == colour) {
                        count++;
                    }
                }
            }
            assertTrue(count > 50, png + ": " + count + " pixels of series colour " + Integer.toHexString(colour));
        }
    }

    @Test
    void aMetricTypoAfterACompleteSweepIsOneLineAndExit2() throws Exception {
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, """
                name: e2e
                task: probe
                params: {steps: 20}
                sweep:
                  grid:
                    x: [1, 2, 4]
                    n: [10, 20]
                repeats: 3
                claims:
                  - name: typo
                    check: at_least
                    metric: resutl
                    value: 1
                """);
        for (String command : List.of("verify", "report")) {
            InProcessCli.Result r = InProcessCli.run(command, typo.toString(), "--results-dir", results.toString());
            assertEquals(2, r.code(), command + ": " + r.out() + r.err());
            assertEquals("ablate: error: " + typo + ":10: claims[0]: claim 'typo': no summary metric 'resutl' in the results; "
                    + "did you mean 'result'? (accepted: noise, result)\n", r.err(), command);
        }
    }

    @Test
    void curveClaimsReadEachTrialsStepCurve(@TempDir Path other) throws Exception {
        Path copy = copyOfResults(other.resolve("results"));
        String head = """
                name: e2e
                task: probe
                params: {steps: 20}
                sweep:
                  grid:
                    x: [1, 2, 4]
                    n: [10, 20]
                repeats: 3
                claims:
                """;
        Path bad = other.resolve("bad-curve.yaml");
        Files.writeString(bad, head + "  - {name: c, check: at_most, metric: train/value, curve: slope, value: 1}\n");
        InProcessCli.Result refused = InProcessCli.run("report", bad.toString(), "--results-dir", copy.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertEquals("ablate: error: " + bad + ":10: claims[0].curve: unknown curve 'slope' (accepted: first, last, last_change,"
                + " drop, relative_drop)\n", refused.err());

        // train/value = x * step + noise: the last change is x in every seed
        Path yaml = other.resolve("curves.yaml");
        Files.writeString(yaml, head + """
                  - name: steps-of-one-at-x-1
                    check: at_most
                    metric: train/value
                    curve: last_change
                    value: 1.5
                    where: {x: 1, n: 10}
                  - name: steeper-for-larger-x
                    check: increasing
                    metric: train/value
                    curve: last_change
                    along: x
                    where: {n: 10}
                  - name: not-logged-by-these-trials
                    check: at_least
                    metric: eval/value
                    curve: drop
                    value: 0
                """);
        InProcessCli.Result r = InProcessCli.run("report", yaml.toString(), "--results-dir", copy.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS         steps-of-one-at-x-1: 1 ± 0 (n=3) (train/value, last change between steps 18 and 19)"),
                r.out());
        assertTrue(r.out().contains("PASS         steeper-for-larger-x: 1 ± 0 (n=3) → 4 ± 0 (n=3) (train/value, last change between"
                + " steps 18 and 19)"), r.out());
        assertTrue(r.out().contains("INCONCLUSIVE not-logged-by-these-trials: 0 of 6 comparisons pass"), r.out());
        String md = Files.readString(copy.resolve("e2e/report/report.md"));
        assertTrue(md.contains("no finished trial logged step metric 'eval/value' at 2 or more steps"), md);
    }

    /** A copy of the sweep's results, so a test may rewrite its report. */
    private static Path copyOfResults(Path to) throws Exception {
        try (var paths = Files.walk(results)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(results.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    @Test
    void aNewReportReplacesTheOldPlotsAndALogAxisSkipsStepZero(@TempDir Path other) throws Exception {
        Path copy = copyOfResults(other.resolve("results"));
        Path yaml = other.resolve("one-plot.yaml");
        Files.writeString(yaml, """
                name: e2e
                task: probe
                report:
                  plots:
                    - {metric: train/value, x: step, group: x, where: {n: 20}, log_x: true, log_y: true}
                """);
        InProcessCli.Result r = InProcessCli.run("report", yaml.toString(), "--results-dir", copy.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path dir = copy.resolve("e2e/report");
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("report.md", "aggregates.csv", "plot-1-train-value-vs-step.png", "plot-1-train-value-vs-step.csv"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "the earlier report's plots and claims.csv are gone");
        }
        checkPng(dir.resolve("plot-1-train-value-vs-step.png"), List.of(0x1f77b4, 0xd62728, 0x2ca02c));
        assertTrue(!Files.readString(dir.resolve("report.md")).contains("## Claims"));

        Files.writeString(yaml, """
                name: e2e
                task: probe
                report:
                  plots:
                    - {metric: train/valeu, x: step, group: x, where: {n: 20}}
                """);
        InProcessCli.Result typo = InProcessCli.run("report", yaml.toString(), "--results-dir", copy.toString());
        assertEquals(2, typo.code(), typo.out() + typo.err());
        assertEquals("ablate: error: " + yaml + ":5: report.plots[0]: plot: no finished trial logged 'train/valeu' "
                + "(x: step plots a metric logged during training)\n", typo.err());
    }

    @Test
    void aResumedRunRewritesTheReportUnlessToldNotTo(@TempDir Path other) throws Exception {
        Path copy = copyOfResults(other.resolve("results"));
        Path report = copy.resolve("e2e/report");
        try (var files = Files.walk(report)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        InProcessCli.Result skip = InProcessCli.run("run", file.toString(), "--no-report", "--progress", "log",
                "--results-dir", copy.toString());
        assertEquals(0, skip.code(), skip.out() + skip.err());
        assertTrue(skip.out().startsWith("e2e: 0 finished, 0 failed, 0 interrupted, 18 skipped (already finished) -> "), skip.out());
        assertTrue(!skip.out().contains("report:"), skip.out());
        assertTrue(Files.notExists(report));

        InProcessCli.Result again = InProcessCli.run("run", file.toString(), "--progress", "log", "--results-dir", copy.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("report: " + report.resolve("report.md")), again.out());
        assertTrue(Files.readString(report.resolve("report.md")).contains("## Claims: 3 PASS, 1 FAIL, 1 INCONCLUSIVE\n"));
    }

    @Test
    void reportAndVerifyWithoutResultsAreOneLineAndExit2() throws Exception {
        Path fresh = tmp.resolve("fresh.yaml");
        Files.writeString(fresh, "task: probe\nsweep: {grid: {x: [1, 2]}}\n");
        Path empty = tmp.resolve("empty-results");
        for (String command : List.of("report", "verify")) {
            InProcessCli.Result r = InProcessCli.run(command, fresh.toString(), "--results-dir", empty.toString());
            assertEquals(2, r.code(), command + ": " + r.out() + r.err());
            assertEquals("ablate: error: " + fresh + ": no results for experiment 'fresh' in " + empty
                    + " (run it first: ablate run <file>.yaml)\n", r.err(), command);
            assertEquals("", r.out());
        }
        InProcessCli.Result byName = InProcessCli.run("report", "never-ran", "--results-dir", empty.toString());
        assertEquals(2, byName.code());
        assertEquals("ablate: error: never-ran: no results for experiment 'never-ran' in " + empty
                + " (run it first: ablate run <file>.yaml)\n", byName.err());
        assertTrue(Files.notExists(empty), "nothing is written");
    }
}
