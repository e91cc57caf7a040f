package org.ablate.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.Cancellation;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.MetricsSink;
import org.ablate.spi.Parameters;
import org.ablate.spi.ProgressReporter;
import org.ablate.spi.SeedStreams;
import org.ablate.spi.TrialContext;
import org.ablate.store.TrialFolder;

/** The context a task receives, backed by the trial's folder and the runner's controls. */
final class DefaultTrialContext implements TrialContext {

    private final TrialSpec spec;
    private final TrialFolder folder;
    private final ComponentRegistry registry;
    private final TrialMetricsWriter metrics;
    private final TrialProgress progress;
    private final CancellationToken cancellation;

    DefaultTrialContext(TrialSpec spec, TrialFolder folder, ComponentRegistry registry, TrialMetricsWriter metrics,
                        TrialProgress progress, CancellationToken cancellation) {
        this.spec = spec;
        this.folder = folder;
        this.registry = registry;
        this.metrics = metrics;
        this.progress = progress;
        this.cancellation = cancellation;
    }

    @Override
    public String trialId() {
        return spec.id();
    }

    @Override
    public Parameters params() {
        return spec.params();
    }

    @Override
    public long seed() {
        return spec.seed();
    }

    @Override
    public SplittableRandom random(String stream) {
        return new SplittableRandom(seed(stream));
    }

    @Override
    public long seed(String stream) {
        return SeedStreams.derive(spec.seed(), stream);
    }

    @Override
    public MetricsSink metrics() {
        return metrics;
    }

    @Override
    public ProgressReporter progress() {
        return progress;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public <T> T component(String key, Class<T> kind) {
        return registry.create(kind, spec.params().getString(key), spec.params().scope(key));
    }

    @Override
    public Path trialDir() {
        return folder.dir();
    }

    @Override
    public Path scratchDir() {
        Path dir = folder.file(TrialFolder.SCRATCH);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
