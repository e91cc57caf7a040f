package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.ResultsStore;
import org.ablate.testing.Sweeps;
import org.ablate.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal display: the line as a function of state and width, and its redraws while a trial runs. */
class TerminalMonitorTest {

    @TempDir
    Path tmp;

    private static ProgressLine.State state(String name, List<ProgressLine.Running> running, String last) {
        return new ProgressLine.State(name, 1, 4, 0, Duration.ofSeconds(83), running, last);
    }

    @Test
    void theLineShowsCountsClockAndTheRunningTrialsOwnProgress() {
        String line = ProgressLine.render(state("example-quick",
                List.of(new ProgressLine.Running("3da224a20f94", 100_000_000, 400_000_000, "pi~3.14159")), ""), 80);
        assertEquals("example-quick [####--------] 1/4 trials 1:23 | 3da224 100M/400M 25% pi~3.14159", line);
    }

    @Test
    void everyLineFitsIn80ColumnsHoweverLongItsParts() {
        List<ProgressLine.Running> many = List.of(
                new ProgressLine.Running("aaaaaaaaaaaa", 123_456_789_012L, 999_999_999_999L, "loss 0.000123456 lr 1e-4 eval pending"),
                new ProgressLine.Running("bbbbbbbbbbbb", 5, 0, "a very long message ".repeat(10)),
                new ProgressLine.Running("cccccccccccc", 0, 0, ""));
        for (String name : List.of("x", "a-really-long-experiment-name-for-the-codebook-scaling-ablation")) {
            for (int width : List.of(80, 60, 40, 20, 1)) {
                String line = ProgressLine.render(new ProgressLine.State(name, 123_456, 1_000_000, 99_999,
                        Duration.ofHours(123), many, ""), width);
                int columns = line.codePointCount(0, line.length());
                assertTrue(columns <= Math.max(1, width - 1), width + " columns, got " + columns + ": " + line);
                assertFalse(line.contains("\n"), line);
            }
        }
        String at80 = ProgressLine.render(new ProgressLine.State("a-really-long-experiment-name-for-the-codebook",
                2, 10, 1, Duration.ofSeconds(5), many, ""), 80);
        assertTrue(at80.startsWith("a-really-long-exper… [###---------] 2/10 trials, 1 failed 0:05 | aaaaaa 123G/"), at80);
        assertTrue(at80.endsWith("…"), at80);
        assertEquals(79, at80.codePointCount(0, at80.length()));
    }

    @Test
    void theBarMovesWithinARunningTrialAndShowsTheLastEndedWhenNoneRuns() {
        ProgressLine.State half = state("s", List.of(new ProgressLine.Running("abcdefabcdef", 500, 1000, "")), "");
        assertEquals((1 + 0.5) / 4, ProgressLine.fraction(half), 1e-12);
        String idle = ProgressLine.render(state("s", List.of(), "abcdef FINISHED error=0.0100000"), 80);
        assertTrue(idle.endsWith("| abcdef FINISHED error=0.0100000"), idle);
        assertEquals("950", ProgressLine.compact(950));
        assertEquals("12.3k", ProgressLine.compact(12_345));
        assertEquals("9.2E", ProgressLine.compact(Long.MAX_VALUE));
        assertEquals("1.0M", ProgressLine.compact(999_999));
        assertEquals("59:59", ProgressLine.clock(Duration.ofSeconds(3599)));
        assertEquals("123:00:00", ProgressLine.clock(Duration.ofHours(123)));
    }

    @Test
    void theLineIsRedrawnWithATickingClockAndLiveProgressWhileATrialRunsAndNoneEnds() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ProgressBarConsumer capture = new ProgressBarConsumer() {
            @Override
            public int getMaxRenderedLength() {
                return 80;
            }

            @Override
            public void accept(String line) {
                lines.add(line);
            }

            @Override
            public void close() {
            }
        };
        Path file = Sweeps.write(tmp, "live", "task: probe\nrepeats: 4\n");
        TrialSpec spec = Sweeps.plan(file).trials().get(0);
        TrialExecution trial = new TrialExecution(spec, new ResultsStore(tmp.resolve("results")).experiment("live"),
                Sweeps.engine().registry(), Map.of(), null, Tracker.NONE, java.time.InstantSource.system());
        TerminalMonitor monitor = new TerminalMonitor("live", null, capture);
        try {
            monitor.started(4, 0);
            monitor.tick(List.of(trial));
            trial.progress().total(1000);
            trial.progress().update(100);
            Thread.sleep(1_300);
            trial.progress().update(600);
            trial.progress().message("loss 0.25");
            Thread.sleep(1_300);
        } finally {
            monitor.close();
        }
        String id = spec.id().substring(0, 6);
        assertTrue(lines.size() >= 4, "only " + lines.size() + " redraws in 2.6 s: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("0/4 trials 0:01 | " + id + " 100/1000 10%")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("0/4 trials 0:02 | " + id + " 600/1000 60% loss 0.25")), lines.toString());
    }
}
