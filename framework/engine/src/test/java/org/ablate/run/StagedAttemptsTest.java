package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.experiment.SweepExpander;
import org.ablate.spi.Parameters;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.DuplicateAttemptsLauncher;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's side of staged attempts: a launcher reports one attempt's end and the engine commits it. */
class StagedAttemptsTest {

    @TempDir
    Path tmp;

    @Test
    void twoAttemptsOfEveryTrialRunAtOnceAndEachTrialIsCommittedOnceWithTheOtherAttemptArchived() throws Exception {
        Path file = Sweeps.write(tmp, "probes", """
                name: probes
                task: probe
                params: {steps: 5}
                sweep: {grid: {x: [1, 2]}}
                """);
        Path results = tmp.resolve("results");
        RunOptions options = RunOptions.defaults()
                .withLauncher(new LaunchChoice(DuplicateAttemptsLauncher.NAME, new DuplicateAttemptsLauncher(),
                        new Parameters(Map.of())))
                .withCommands(new TrialCommands("org.ablate.cli.AblateCli", file, List.of(), SweepExpander.DEFAULT_MAX_TRIALS,
                        results, null));
        SweepResult result = Sweeps.run(file, results, options);
        assertEquals(2, result.count(TrialState.FINISHED));

        ExperimentFolder folder = new ResultsStore(results).experiment("probes");
        assertEquals(2, folder.trials().size());
        for (TrialFolder t : folder.trials()) {
            assertTrue(t.isFinished(), t.id());
            assertEquals(t.id(), t.readConfig().trialId());
            Path other = results.resolve("probes/.attempts/" + t.id() + ".1");
            assertTrue(Files.isRegularFile(other.resolve(TrialFolder.STATUS)), "the duplicate is kept, not committed: " + other);
            assertFalse(Files.exists(results.resolve("probes/.attempts/" + t.id() + ".2")));
            assertEquals(Files.readString(t.file(TrialFolder.SUMMARY)), Files.readString(other.resolve(TrialFolder.SUMMARY)),
                    "both attempts ran the same trial");
        }
        try (var left = Files.list(results.resolve("probes/" + ExperimentFolder.STAGING))) {
            assertEquals(List.of(), left.toList(), "nothing left staged");
        }
    }
}
