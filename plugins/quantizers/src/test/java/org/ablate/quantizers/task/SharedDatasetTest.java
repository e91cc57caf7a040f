package org.ablate.quantizers.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.SweepExpander;
import org.ablate.plugin.PluginRuntime;
import org.ablate.quantizers.data.FashionMnist;
import org.ablate.run.RunOptions;
import org.ablate.run.SweepResult;
import org.ablate.run.SweepRunner;
import org.ablate.spi.SharedCache;
import org.ablate.store.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trials of one process share the decoded Fashion-MNIST through the engine's cache, injected into the task. */
class SharedDatasetTest {

    @TempDir
    Path tmp;

    @Test
    void twoTrialsInOneProcessDecodeEachSplitOnce() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(FashionMnist.DEFAULT_DIR, "train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        Path file = tmp.resolve("shared.yaml");
        Files.writeString(file, """
                name: shared
                task: vq-autoencoder
                params:
                  dataset: fashion-mnist
                  train_subset: 256
                  test_subset: 64
                  model: mlp
                  latent_dim: 8
                  codebook_size: 16
                  steps: 2
                  batch_size: 16
                  log_every: 1
                sweep:
                  grid:
                    quantizer: [vq, simvq]
                seeds: [0]
                """);
        PluginRuntime engine = PluginRuntime.start();
        SweepResult result = new SweepRunner(new ResultsStore(tmp.resolve("results")), engine).run(
                new SweepExpander(engine.registry()).expand(ExperimentParser.parse(file)),
                RunOptions.defaults().withParallel(2), "test");
        assertTrue(result.allFinished(), result.toString());
        assertEquals(2, result.outcomes().size());
        SharedCache.Stats stats = engine.injector().getInstance(SharedCache.class).stats();
        assertEquals(2, stats.loads(), "train and test decoded once each for both trials: " + stats);
        assertEquals(60000 * (28 * 28 + 4L) + 10000 * (28 * 28 + 4L), stats.bytes(), stats.toString());
    }
}
