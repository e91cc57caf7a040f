package org.ablate.quantizers.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * experiments/simvq-quick.yaml end to end through the CLI, run once for the whole class (it takes
 * about half a minute or more): vanilla VQ vs SimVQ at K = 64 and 1024 on Fashion-MNIST.
 */
class SimVqQuickTest {

    private static final Path EXPERIMENT = Path.of("../../experiments/simvq-quick.yaml");
    private static final List<String> HEADLINE = List.of("utilization", "perplexity", "mse", "psnr", "ssim");

    @TempDir
    static Path tmp;

    private static Path results;
    private static InProcessCli.Result first;
    private static List<TrialFolder> trials;
    /** "vq/1024" → trial. */
    private static final Map<String, TrialFolder> BY_CONFIG = new HashMap<>();

    @BeforeAll
    static void runOnce() throws Exception {
        results = tmp.resolve("results");
        first = InProcessCli.run("run", EXPERIMENT.toString(), "--results-dir", results.toString());
        trials = TrialRecords.trials(results, "simvq-quick");
        for (TrialFolder t : trials) {
            BY_CONFIG.put(TrialRecords.param(t, "quantizer") + "/" + ((Number) TrialRecords.param(t, "codebook_size")).intValue(), t);
        }
    }

    @Test
    void fourTrialsFinish() throws Exception {
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.summaryLine("simvq-quick").startsWith("simvq-quick: 4 finished, 0 failed, 0 interrupted, 0 skipped"), first.toString());
        assertEquals(4, trials.size());
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, TrialRecords.state(t), t.id());
        }
        assertEquals(java.util.Set.of("vq/64", "vq/1024", "simvq/64", "simvq/1024"), BY_CONFIG.keySet());
    }

    @Test
    void theTaskDeclaresEveryMetricItLogs() throws Exception {
        // the dry run checks plots and claims against the declaration: a name it lacks would be refused
        for (TrialFolder t : trials) {
            for (String key : t.summary().keySet()) {
                assertTrue(VqAutoencoderTask.METRICS.hasSummary(key), t.id() + ": undeclared summary metric " + key);
            }
            for (String name : TrialRecords.metricNames(t)) {
                assertTrue(VqAutoencoderTask.METRICS.hasStep(name), t.id() + ": undeclared step metric " + name);
            }
        }
        assertTrue(trials.stream().anyMatch(t -> {
            try {
                return t.summary().containsKey("w_effective_rank");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }), "SimVQ's diagnostic is among them");
    }

    @Test
    void everySummaryHasSaneCodebookAndImageMetrics() throws Exception {
        for (Map.Entry<String, TrialFolder> e : BY_CONFIG.entrySet()) {
            TrialFolder t = e.getValue();
            String name = e.getKey();
            for (String key : HEADLINE) {
                assertTrue(Double.isFinite(TrialRecords.summary(t, key)), name + ": " + key + " = " + TrialRecords.summary(t, key));
            }
            int k = ((Number) TrialRecords.param(t, "codebook_size")).intValue();
            assertEquals(k, TrialRecords.summary(t, "codebook_size"), 0.0, name);
            double util = TrialRecords.summary(t, "utilization");
            double perplexity = TrialRecords.summary(t, "perplexity");
            assertTrue(util > 0 && util <= 1, name + ": utilization " + util);
            // exp(entropy) of the usage is at most the number of codes used
            assertTrue(perplexity >= 1 && perplexity <= util * k + 1e-9, name + ": perplexity " + perplexity + ", used " + util * k);
            assertEquals(perplexity / k, TrialRecords.summary(t, "perplexity_fraction"), 1e-12, name);
            double mse = TrialRecords.summary(t, "mse");
            double psnr = TrialRecords.summary(t, "psnr");
            assertTrue(mse > 0 && mse < 0.25, name + ": mse " + mse);
            // mean of per-image PSNRs ≥ the PSNR of the mean MSE (Jensen), data range 1
            assertTrue(psnr >= -10 * Math.log10(mse) - 1e-9, name + ": psnr " + psnr + " vs mse " + mse);
            double ssim = TrialRecords.summary(t, "ssim");
            assertTrue(ssim > -1 && ssim <= 1, name + ": ssim " + ssim);
            if (name.startsWith("simvq")) {
                double rank = TrialRecords.summary(t, "w_effective_rank");
                assertTrue(rank >= 1 && rank <= 16, name + ": effective rank of the 16 × 16 W = " + rank);
            }
        }
    }

    @Test
    void evalCurvesKeepTheSubsetAndTheWholeSplitGoesToTest() throws Exception {
        for (Map.Entry<String, TrialFolder> e : BY_CONFIG.entrySet()) {
            TrialFolder t = e.getValue();
            int k = ((Number) TrialRecords.param(t, "codebook_size")).intValue();
            Map<Long, Double> eval = TrialRecords.metric(t, "eval/utilization");
            assertEquals(java.util.Set.of(20L, 40L, 60L), eval.keySet(), e.getKey());
            // 8 images are 392 tokens: no evaluation on them can use more codes, the last one included
            eval.forEach((step, u) -> assertTrue(u * k <= 8 * 49 + 1e-9, e.getKey() + ": step " + step + " used " + u * k));
            Map<Long, Double> test = TrialRecords.metric(t, "test/utilization");
            assertEquals(java.util.Set.of(60L), test.keySet(), e.getKey());
            assertEquals(TrialRecords.summary(t, "utilization"), test.get(60L), 0.0, e.getKey() + ": test/* is the summary's evaluation");
        }
        // the whole split (512 images) shows more of a 1024-code SimVQ codebook than 8 images can
        assertTrue(TrialRecords.summary(BY_CONFIG.get("simvq/1024"), "utilization") * 1024 > 8 * 49,
                "simvq/1024 used " + TrialRecords.summary(BY_CONFIG.get("simvq/1024"), "utilization") * 1024 + " codes on 512 images");
    }

    @Test
    void theReportChecksTheConvergenceClaimOnEachTrainedCurve() throws Exception {
        String md = Files.readString(results.resolve("simvq-quick/report/report.md"));
        for (int k : new int[] {64, 1024}) {
            Map<Long, Double> eval = TrialRecords.metric(BY_CONFIG.get("simvq/" + k), "eval/utilization");
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("\\| quantizer=simvq codebook_size=" + k
                    + " \\| ([-0-9.e]+) \\(n=1\\) \\(eval/utilization, last change between steps 40 and 60\\) \\| ≤ 0\\.01"
                    + " \\| INCONCLUSIVE \\| too few seeds: 1 with a curve, the claim needs 2 \\|").matcher(md);
            assertTrue(row.find(), "K = " + k + ": " + md);
            double change = Math.abs(eval.get(60L) - eval.get(40L));
            assertEquals(change, Double.parseDouble(row.group(1)), 1e-3 * Math.max(change, 1e-9), "K = " + k + ": |u(60) - u(40)|");
        }
        assertTrue(first.out().contains("INCONCLUSIVE simvq-utilisation-converged: 0 of 2 comparisons pass"), first.out());
    }

    @Test
    void simvqUsesMoreOfALargeCodebookThanVanillaVq() throws Exception {
        double vq = TrialRecords.summary(BY_CONFIG.get("vq/1024"), "utilization");
        double simvq = TrialRecords.summary(BY_CONFIG.get("simvq/1024"), "utilization");
        assertTrue(simvq > vq, "K = 1024: SimVQ utilisation " + simvq + " vs vanilla VQ " + vq);
    }

    @Test
    void rowsChangedFollowTheGradientSemantics() throws Exception {
        for (String config : List.of("vq/64", "vq/1024")) {
            TrialFolder t = BY_CONFIG.get(config);
            Map<Long, Double> changed = TrialRecords.metric(t, "train/rows_changed");
            Map<Long, Double> inBatch = TrialRecords.metric(t, "train/codes_in_batch");
            assertFalse(changed.isEmpty(), config);
            // Adam's first step: exactly the codes chosen in the first batch move
            assertEquals(inBatch.get(1L), changed.get(1L), 0.0, config + ", step 1");
        }
        for (String config : List.of("simvq/64", "simvq/1024")) {
            TrialFolder t = BY_CONFIG.get(config);
            int k = ((Number) TrialRecords.param(t, "codebook_size")).intValue();
            Map<Long, Double> changed = TrialRecords.metric(t, "train/rows_changed");
            assertEquals(13, changed.size(), config + ": steps 1, 5, 10, ..., 60");
            changed.forEach((step, v) -> assertEquals(k, v, 0.0, config + ": every effective code moves, step " + step));
        }
    }

    @Test
    void artifactsArePngsThatDecode() throws Exception {
        for (TrialFolder t : trials) {
            for (String name : List.of("reconstructions.png", "code_usage.png")) {
                Path file = t.file(TrialFolder.ARTIFACTS).resolve(name);
                assertTrue(Files.isRegularFile(file), file.toString());
                BufferedImage image = ImageIO.read(file.toFile());
                assertNotNull(image, file + " decodes");
                assertTrue(image.getWidth() > 50 && image.getHeight() > 50, file + ": " + image.getWidth() + "×" + image.getHeight());
            }
        }
    }

    @Test
    void aSecondRunSkipsEveryTrial() throws Exception {
        InProcessCli.Result second = InProcessCli.run("run", EXPERIMENT.toString(), "--results-dir", results.toString());
        assertEquals(0, second.code(), second.toString());
        assertTrue(second.summaryLine("simvq-quick").startsWith("simvq-quick: 0 finished, 0 failed, 0 interrupted, 4 skipped"), second.toString());
        assertEquals(4, TrialRecords.trials(results, "simvq-quick").size());
    }
}
