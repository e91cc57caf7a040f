package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.ablate.testing.CliProcess;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and overrides a hostile tester writes: each is a real file (or argument) through the real
 * parser, expander or CLI, and each must end in one located line with exit code 2 before anything
 * is written, never in a wrapped value, an OutOfMemoryError or a StackOverflowError.
 */
class HostileInputTest {

    private static ComponentRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private Path file(String name, String text) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static SweepPlan plan(Path file, String... overrides) {
        return new SweepExpander(registry).expand(CommandLineOverrides.apply(ExperimentParser.parse(file), List.of(overrides)));
    }

    private static String refusal(Path file, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> plan(file, overrides));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    // ---- seeds -------------------------------------------------------------------------------

    @Test
    void baseSeedNearLongMaxWithRepeatsIsRefusedNotWrapped() throws IOException {
        Path f = file("s.yaml", "task: probe\nseed: 9223372036854775807\nrepeats: 3\n");
        assertEquals(f + ":2: seed: seed 9223372036854775807 with repeats 3 runs past the largest 64-bit seed"
                + " (accepted: seed + repeats - 1 <= 9223372036854775807)", refusal(f));
        Path ok = file("ok.yaml", "task: probe\nseed: 9223372036854775805\nrepeats: 3\n");
        assertEquals(List.of(9223372036854775805L, 9223372036854775806L, 9223372036854775807L),
                plan(ok).trials().stream().map(TrialSpec::seed).toList());
    }

    @Test
    void seedOverrideNearLongMaxIsRefused() throws IOException {
        Path f = file("s.yaml", "task: probe\nrepeats: 2\n");
        assertEquals("command line 'seed=9223372036854775807': seed: seed 9223372036854775807 with repeats 2 runs past"
                + " the largest 64-bit seed (accepted: seed + repeats - 1 <= 9223372036854775807)",
                refusal(f, "seed=9223372036854775807"));
    }

    @Test
    void seedsListWithAnOverflowingOrNonIntegerSeedIsRefused() throws IOException {
        assertEquals(tmp.resolve("a.yaml") + ":2: seeds[1]: integer 9223372036854775808 does not fit in 64 bits",
                refusal(file("a.yaml", "task: probe\nseeds: [1, 9223372036854775808]\n")));
        assertEquals(tmp.resolve("b.yaml") + ":2: seeds[1]: expected an integer, got 2.5",
                refusal(file("b.yaml", "task: probe\nseeds: [1, 2.5]\n")));
    }

    // ---- YAML size and depth -------------------------------------------------------------------

    @Test
    void aliasBombUnderTheAliasLimitIsRefusedQuickly() throws IOException {
        // 48 aliases, 2^25 leaves: snakeyaml's 50-alias limit lets it through
        StringBuilder y = new StringBuilder("task: probe\nbomb:\n  l0: &l0 [a, b]\n");
        for (int i = 1; i <= 24; i++) {
            y.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        Path f = file("bomb.yaml", y.toString());
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(f));
        assertEquals(f + ":17: invalid YAML: more than 100000 values once aliases are expanded"
                + " (accepted: at most 100000 values; an alias counts as every value it repeats)", message);
    }

    @Test
    void deepFlowNestingIsRefusedWithoutAStackOverflow() throws IOException {
        Path f = file("deep.yaml", "task: probe\nparams: {x: " + "[".repeat(2000) + "1" + "]".repeat(2000) + "}\n");
        assertEquals(f + ":2: invalid YAML: nested deeper than 64 levels (accepted: at most 64 levels of lists and mappings)",
                refusal(f));
    }

    @Test
    void deepBlockNestingIsRefused() throws IOException {
        StringBuilder y = new StringBuilder("task: probe\nparams:\n");
        for (int i = 0; i < 100; i++) {
            y.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        y.append("  ".repeat(101)).append("v: 1\n");
        Path f = file("block.yaml", y.toString());
        assertTrue(refusal(f).startsWith(f + ":66: invalid YAML: nested deeper than 64 levels"), refusal(f));
    }

    @Test
    void aliasesWithinTheLimitStillWork() throws IOException {
        Path f = file("alias.yaml", "task: probe\nsweep:\n  grid:\n    n: &ns [1, 2]\n    steps: *ns\n");
        assertEquals(4, plan(f).trials().size());
    }

    // ---- numbers -------------------------------------------------------------------------------

    @Test
    void aFloatLiteralTooLargeForADoubleIsRefusedNotInfinity() throws IOException {
        Path f = file("big.yaml", "task: probe\nparams:\n  x: 1e400\n");
        assertEquals(f + ":3: params.x: number 1e400 does not fit in a 64-bit float"
                + " (accepted: magnitudes up to 1.8e308; write .inf for infinity)", refusal(f));
    }

    @Test
    void hugeIntegerLiteralInASweepIsRefused() throws IOException {
        Path f = file("bigint.yaml", "task: probe\nsweep:\n  grid:\n    n: [1, 123456789012345678901234567890]\n");
        assertEquals(f + ":4: sweep.grid.n[1]: integer 123456789012345678901234567890 does not fit in 64 bits", refusal(f));
    }

    // ---- encodings and layout --------------------------------------------------------------------

    @Test
    void latin1FileSaysItIsNotUtf8AndWhere() throws IOException {
        Path f = file("latin1.yaml", "task: probe\ndescription: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(f + ":2: not UTF-8 text: byte 0xE9 at line 2, column 17 (byte offset 28) is not valid UTF-8"
                + " (accepted: a UTF-8 text file; re-save it as UTF-8)", refusal(f));
    }

    @Test
    void binaryFileSaysItIsNotUtf8() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        Path f = file("image.yaml", png);
        assertEquals(f + ":1: not UTF-8 text: byte 0x89 at line 1, column 1 (byte offset 0) is not valid UTF-8"
                + " (accepted: a UTF-8 text file; re-save it as UTF-8)", refusal(f));
    }

    @Test
    void aMultiGigabyteFileIsRefusedBeforeItIsRead() throws IOException {
        Path f = tmp.resolve("huge.yaml");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(3L << 30); // sparse: costs no disk
        }
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(f));
        assertEquals(f + ": the file is 3221225472 bytes, too large for an experiment file (accepted: at most 33554432 bytes)", message);
    }

    @Test
    void byteOrderMarkAtTheStartIsAccepted() throws IOException {
        byte[] text = "task: probe\nparams: {n: 7}\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertEquals(7L, plan(file("bom.yaml", withBom)).trials().get(0).params().get("n"));
    }

    @Test
    void crlfLineEndingsKeepLineNumbers() throws IOException {
        Path f = file("crlf.yaml", "task: probe\r\nparams:\r\n  n: 7\r\n  x: abc\r\n");
        assertEquals(f + ":4: params.x: expected a real in [0, 100], got 'abc'", refusal(f));
    }

    @Test
    void duplicateKeyIsRefused() throws IOException {
        Path f = file("dup.yaml", "task: probe\nparams:\n  n: 1\n  n: 2\n");
        assertEquals(f + ":4: params.n: duplicate key (first written on line 3)", refusal(f));
    }

    @Test
    void unicodeLookalikeKeyIsAnUnknownParameter() throws IOException {
        // Cyrillic 'х' (U+0445) for Latin 'x'
        Path f = file("lookalike.yaml", "task: probe\nparams:\n  \u0445: 1\n");
        assertEquals(f + ":3: params.\u0445: unknown parameter of task 'probe'; the key contains the non-ASCII"
                + " character '\u0445' (U+0445) (accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)", refusal(f));
    }

    @Test
    void keyWithASpaceIsAnUnknownParameter() throws IOException {
        Path f = file("space.yaml", "task: probe\nparams:\n  \"n \": 1\n");
        assertTrue(refusal(f).startsWith(f + ":3: params.n : unknown parameter of task 'probe'; did you mean 'n'?"), refusal(f));
    }

    @Test
    void problemsInSeveralSectionsAreReportedTogether() throws IOException {
        Path f = file("sections.yaml", """
                task: probe
                params: {n: 5}
                sweep:
                  grid: {x: 3}
                repeats: 0
                overrides:
                  - {when: {n: 5}}
                timeout: soon
                tracking: {uri: ftp://host}
                """);
        InProcessCli.Result r = InProcessCli.run("run", f.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().replace("\r", "").lines().toList();
        assertEquals(5, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("ablate: error: " + f + ":4: sweep.grid.x: a swept parameter takes a list of values"), r.err());
        assertTrue(lines.get(1).startsWith("ablate: error: " + f + ":5: repeats: repeats must be in [1, 100000], got 0"), r.err());
        assertTrue(lines.get(2).startsWith("ablate: error: " + f + ":7: overrides[0]: an override needs both 'when' and 'set'"), r.err());
        assertTrue(lines.get(3).startsWith("ablate: error: " + f + ":8: timeout: invalid duration 'soon'"), r.err());
        assertTrue(lines.get(4).startsWith("ablate: error: " + f + ":9: tracking.uri: tracking URI 'ftp://host' is not supported"), r.err());
    }

    @Test
    void nulByteNamesItsLineAndColumn() throws IOException {
        Path f = file("nul.yaml", "task: probe\nparams:\n  n: 1\u0000\n");
        assertEquals(f + ":3: invalid YAML: control character U+0000 at line 3, column 7"
                + " (accepted: printable text, tabs and line breaks; is this a binary file?)", refusal(f));
    }

    @Test
    void dottedAndNestedSpellingsOfOneKeyAreRefused() throws IOException {
        Path f = file("dots.yaml", "task: probe\nparams:\n  gadget.factor: 2\n  gadget:\n    factor: 3\n");
        assertEquals(f + ":5: params.gadget.factor: 'gadget.factor' is written twice (also at " + f
                + ":3, as a dotted or a nested key)", refusal(f));
    }

    @Test
    void everyUnknownTopLevelKeyIsReported() throws IOException {
        Path f = file("top.yaml", "tsk: probe\nparms: {}\n");
        InProcessCli.Result r = InProcessCli.run("run", f.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().replace("\r", "").lines().toList();
        assertEquals(3, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("ablate: error: " + f + ":1: tsk: unknown key; did you mean 'task'?"), r.err());
        assertEquals("ablate: error: " + f + ":1: task: missing required key (the task each trial runs)", lines.get(1));
        assertTrue(lines.get(2).startsWith("ablate: error: " + f + ":2: parms: unknown key; did you mean 'params'?"), r.err());
    }

    // ---- overrides -----------------------------------------------------------------------------

    @Test
    void overrideWithANewlineIsRefusedNotTruncated() throws IOException {
        Path f = file("o.yaml", "task: probe\n");
        assertEquals("command line 'n=10\nmode: bogus': n: the value contains a line break"
                + " (accepted: one key=value per argument, on one line)",
                assertThrows(ConfigException.class, () -> plan(f, "n=10\nmode: bogus")).getMessage());
        assertThrows(ConfigException.class, () -> plan(f, "n=10\r\n"));
    }

    @Test
    void overrideKeyWithALookalikeLetterSaysSo() throws IOException {
        Path f = file("o.yaml", "task: probe\n");
        // Cyrillic 'е' (U+0435) in "stеps"
        assertEquals("command line 'st\u0435ps=3': the key contains the non-ASCII character '\u0435' (U+0435)"
                + " (accepted: keys of ASCII letters, digits, '_' and '.')", refusal(f, "st\u0435ps=3"));
    }

    @Test
    void overflowingOverrideNumbersAreRefused() throws IOException {
        Path f = file("o.yaml", "task: probe\n");
        assertEquals("command line 'x=1e400': x: number 1e400 does not fit in a 64-bit float"
                + " (accepted: magnitudes up to 1.8e308; write .inf for infinity)", refusal(f, "x=1e400"));
        assertEquals("command line 'seeds=[1,99999999999999999999]': seeds: integer 99999999999999999999 does not fit in 64 bits",
                refusal(f, "seeds=[1,99999999999999999999]"));
    }

    @Test
    void emptyOverrideValueIsRefused() throws IOException {
        Path f = file("o.yaml", "task: probe\n");
        assertEquals("command line 'n=': n: missing value after '='", refusal(f, "n="));
    }

    // ---- sweep size ----------------------------------------------------------------------------

    private Path tenMillionTrials() throws IOException {
        String ns = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String steps = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return file("huge.yaml", "task: probe\nsweep:\n  grid:\n    n: [" + ns + "]\n    steps: [" + steps + "]\n"
                + "    sleep_ms: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n");
    }

    @Test
    void tenMillionTrialGridIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path f = tenMillionTrials();
        Path results = tmp.resolve("results");
        InProcessCli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> InProcessCli.run("run", f.toString(), "--results-dir", results.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("ablate: error: " + f + ": sweep: 10000000 trials (1000 x 1000 x 10 x 1 seed(s), before exclusions)"
                + " exceed the limit of 100000 (accepted: at most 100000 trials; raise it with --max-trials N)\n",
                r.err().replace("\r", ""));
        assertFalse(Files.exists(results), "nothing may be written");
    }

    @Test
    void maxTrialsRaisesOrLowersTheLimit() throws IOException {
        Path f = file("six.yaml", "task: probe\nsweep:\n  grid:\n    n: [1, 2, 3]\nrepeats: 2\n");
        Path results = tmp.resolve("results");
        InProcessCli.Result refused = InProcessCli.run("run", f.toString(), "--dry-run", "--max-trials", "5",
                "--results-dir", results.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("6 trials (3 x 2 seed(s), before exclusions) exceed the limit of 5"), refused.err());
        InProcessCli.Result allowed = InProcessCli.run("run", f.toString(), "--dry-run", "--max-trials", "6",
                "--results-dir", results.toString());
        assertEquals(0, allowed.code(), allowed.err());
        assertTrue(allowed.out().contains("6 trial(s) = 3 configuration(s) x 2 seed(s)"), allowed.out());
    }

    // ---- every error in one pass ---------------------------------------------------------------

    @Test
    void everyValidationErrorIsPrintedOnItsOwnLine() throws IOException {
        Path f = file("x.yaml", """
                task: probe
                params:
                  n: 5
                  smaples: 1
                sweep:
                  grid:
                    mode: [ok, slo]
                    x: [1, 200]
                """);
        InProcessCli.Result r = InProcessCli.run("run", f.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(
                "ablate: error: " + f + ":4: params.smaples: unknown parameter of task 'probe'"
                        + " (accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)",
                "ablate: error: " + f + ":7: sweep.grid.mode[1]: 'slo' is not accepted; did you mean 'slow'?"
                        + " (accepted: one of ok, fail, slow, hang)",
                "ablate: error: " + f + ":8: sweep.grid.x[1]: 200 is out of range (accepted: real in [0, 100])"),
                r.err().replace("\r", "").lines().toList());
    }

    @Test
    void aBadComponentNameDoesNotAlsoReportItsParametersAsUnknown() throws IOException {
        Path f = file("c.yaml", "task: probe\nparams:\n  gadget: scaledd\n  gadget.factor: 3\n  stesp: 2\n");
        InProcessCli.Result r = InProcessCli.run("run", f.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().replace("\r", "").lines().toList();
        assertEquals(2, lines.size(), r.err()); // not also "gadget.factor: unknown parameter"
        assertTrue(lines.get(0).startsWith("ablate: error: " + f + ":3: params.gadget: unknown gadget 'scaledd'; did you mean 'scaled'?"), r.err());
        assertTrue(lines.get(1).startsWith("ablate: error: " + f + ":5: params.stesp: unknown parameter of task 'probe'; did you mean 'steps'?"), r.err());
    }

    // ---- W&B early_terminate ---------------------------------------------------------------------

    @Test
    void wandbEarlyTerminateIsAcceptedWithAWarning() throws Exception {
        Path f = file("wb.yaml", """
                task: probe
                sweep:
                  method: grid
                  early_terminate: {type: hyperband, min_iter: 3}
                  parameters:
                    n: {values: [1, 2]}
                """);
        Path out = tmp.resolve("out.txt");
        Process p = CliProcess.start(tmp, out, "run", f.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        List<String> warnings = text.lines().filter(l -> l.contains("early_terminate")).toList();
        assertEquals(1, warnings.size(), text);
        assertTrue(warnings.get(0).contains("WARN  " + f + ":4: sweep.early_terminate: early_terminate is ignored:"
                + " Ablate runs every trial to its end (stop long trials with 'timeout:')"), text);
        assertTrue(text.contains("2 trial(s)"), text);
    }
}
