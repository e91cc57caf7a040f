package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.multibindings.OptionalBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.SweepExpander;
import org.ablate.plugin.PluginRuntime;
import org.ablate.plugin.LoadedPlugin;
import org.ablate.spi.AbstractPlugin;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.TestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial's start, end and duration are read from the engine's clock, which a module may replace. */
class TrialClockTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    /** Each reading is 90 s after the one before. */
    static final class SteppingClock implements InstantSource {
        private final AtomicLong readings = new AtomicLong();

        @Override
        public Instant instant() {
            return T0.plusSeconds(90 * readings.getAndIncrement());
        }
    }

    public static final class ClockPlugin extends AbstractPlugin {
        private final InstantSource clock;

        ClockPlugin(InstantSource clock) {
            this.clock = clock;
        }

        @Override
        protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), InstantSource.class).setBinding().toInstance(clock);
        }
    }

    @Test
    void startEndAndDurationComeFromTheEnginesClock() throws Exception {
        PluginRuntime engine = PluginRuntime.start(List.of(new LoadedPlugin(new TestPlugin(), "test"),
                new LoadedPlugin(new ClockPlugin(new SteppingClock()), "test")));
        Path file = tmp.resolve("clocked.yaml");
        Files.writeString(file, "name: clocked\ntask: probe\n");
        SweepResult result = new SweepRunner(new ResultsStore(tmp.resolve("results")), engine).run(
                new SweepExpander(engine.registry()).expand(ExperimentParser.parse(file)), RunOptions.defaults(), "test");
        assertTrue(result.allFinished(), result.toString());
        TrialFolder trial = new ResultsStore(tmp.resolve("results")).experiment("clocked").trials().get(0);
        Map<String, Object> config = trial.config();
        assertEquals("2030-01-01T00:00:00Z", config.get("started_at"));
        assertEquals("2030-01-01T00:01:30Z", config.get("ended_at"));
        assertEquals(90.0, ((Number) config.get("duration_s")).doubleValue());
        assertEquals(Duration.ofSeconds(90), result.outcomes().get(0).duration());
    }
}
