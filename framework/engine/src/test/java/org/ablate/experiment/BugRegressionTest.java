package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One test per bug a previous round of testing found (and that is now fixed), so none comes back.
 * Each pins the exact one-line message, the line and the key it is reported at.
 */
class BugRegressionTest {

    private static final String ACCEPTED_TAGS = " (accepted: plain strings, numbers, booleans, lists and mappings)";
    private static final String ACCEPTED_DURATIONS =
            " (accepted: at least 1ms, as a number with unit ms, s, m, h or d, e.g. 90s, 10m, 1.5h)";

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private static SweepPlan expand(String yaml, String... overrides) {
        ExperimentSpec spec = ExperimentParser.parse(yaml, "exp.yaml", "exp");
        spec = CommandLineOverrides.apply(spec, List.of(overrides));
        return new SweepExpander(registry).expand(spec);
    }

    /** Parses, applies the overrides and expands, which must fail with a one-line message. */
    private static ConfigException failure(String yaml, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> expand(yaml, overrides));
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"),
                "message must be one line: " + e.getMessage());
        return e;
    }

    /** Fails with exactly {@code expected}, about {@code key} written on {@code line} of exp.yaml. */
    private static void assertRejected(String yaml, int line, String key, String expected) {
        ConfigException e = failure(yaml);
        assertEquals(expected, e.getMessage());
        assertNotNull(e.origin(), "a message about a key carries its origin");
        assertEquals("exp.yaml", e.origin().source());
        assertEquals(line, e.origin().line(), e.getMessage());
        assertEquals(key, e.origin().key(), e.getMessage());
        assertTrue(e.getMessage().startsWith("exp.yaml:" + line + ": " + key + ": "), e.getMessage());
    }

    /** A command-line argument fails with exactly {@code expected}, about {@code key}, with no line. */
    private static void assertRejectedOnCommandLine(String argument, String key, String expected) {
        ConfigException e = failure("task: probe\n", argument);
        assertEquals(expected, e.getMessage());
        assertNotNull(e.origin());
        assertEquals("command line '" + argument + "'", e.origin().location());
        assertEquals(0, e.origin().line());
        assertEquals(key, e.origin().key());
    }

    // ---- 1. non-standard tags on mappings and sequences --------------------------------------------

    @Test
    void javaObjectTagOnAMappingIsRejected() {
        assertRejected("""
                task: probe
                params: !!java/object:java.lang.Object {}
                """, 2, "params",
                "exp.yaml:2: params: unsupported YAML tag tag:yaml.org,2002:java/object:java.lang.Object" + ACCEPTED_TAGS);
    }

    @Test
    void setTagOnAMappingIsRejected() {
        assertRejected("""
                task: probe
                params: {levels: !!set {2, 3}}
                """, 2, "params.levels",
                "exp.yaml:2: params.levels: unsupported YAML tag tag:yaml.org,2002:set" + ACCEPTED_TAGS);
        assertRejected("""
                task: probe
                params:
                  levels: !!set {2, 3}
                """, 3, "params.levels",
                "exp.yaml:3: params.levels: unsupported YAML tag tag:yaml.org,2002:set" + ACCEPTED_TAGS);
    }

    @Test
    void nonStandardTagOnASequenceIsRejected() {
        assertRejected("""
                task: probe
                params: {levels: !!omap [a: 1]}
                """, 2, "params.levels",
                "exp.yaml:2: params.levels: unsupported YAML tag tag:yaml.org,2002:omap" + ACCEPTED_TAGS);
        assertRejectedOnCommandLine("x=!!set {a}", "x",
                "command line 'x=!!set {a}': x: unsupported YAML tag tag:yaml.org,2002:set" + ACCEPTED_TAGS);
    }

    // ---- 2. standard scalar tags on text that is not of that type ---------------------------------

    @Test
    void intTagOnNonIntegerIsRejected() {
        assertRejected("""
                task: probe
                params: {x: !!int abc}
                """, 2, "params.x", "exp.yaml:2: params.x: 'abc' is not a valid !!int");
        assertRejected("""
                task: probe
                params:
                  n: !!int 1.5
                """, 3, "params.n", "exp.yaml:3: params.n: '1.5' is not a valid !!int");
        assertRejectedOnCommandLine("x=!!int abc", "x", "command line 'x=!!int abc': x: 'abc' is not a valid !!int");
    }

    @Test
    void floatTagOnNonNumberIsRejected() {
        assertRejected("""
                task: probe
                params: {x: !!float abc}
                """, 2, "params.x", "exp.yaml:2: params.x: 'abc' is not a valid !!float");
    }

    @Test
    void boolTagOnNonBooleanIsRejected() {
        assertRejected("""
                task: probe
                params: {flag: !!bool maybe}
                """, 2, "params.flag", "exp.yaml:2: params.flag: 'maybe' is not a valid !!bool");
        // YAML 1.2: 'yes' is not a boolean, even when tagged as one
        assertRejected("""
                task: probe
                params: {flag: !!bool yes}
                """, 2, "params.flag", "exp.yaml:2: params.flag: 'yes' is not a valid !!bool");
    }

    @Test
    void standardScalarTagsOnValidTextStillWork() {
        SweepPlan plan = expand("""
                task: probe
                params: {x: !!float 2.5, n: !!int 0x1F, flag: !!bool true}
                """);
        assertEquals(2.5, plan.trials().get(0).params().asMap().get("x"));
        assertEquals(31L, plan.trials().get(0).params().asMap().get("n"));
        assertEquals(true, plan.trials().get(0).params().asMap().get("flag"));
    }

    // ---- 3. empty zip groups --------------------------------------------------------------------

    @Test
    void emptyZipMappingIsRejected() {
        assertRejected("""
                task: probe
                sweep: {zip: {}}
                """, 2, "sweep.zip",
                "exp.yaml:2: sweep.zip: empty zip group: give the lists that vary together");
    }

    @Test
    void emptyZipGroupInAListIsRejected() {
        assertRejected("""
                task: probe
                sweep: {zip: [{}]}
                """, 2, "sweep.zip[0]",
                "exp.yaml:2: sweep.zip[0]: empty zip group: give the lists that vary together");
        assertRejected("""
                task: probe
                sweep:
                  zip:
                    - {x: [1, 2], n: [1, 2]}
                    - {}
                """, 5, "sweep.zip[1]",
                "exp.yaml:5: sweep.zip[1]: empty zip group: give the lists that vary together");
    }

    // ---- 4. seeds given on the command line are checked like seeds in the file -------------------

    @Test
    void repeatedSeedsOnTheCommandLineAreRejected() {
        assertRejectedOnCommandLine("seeds=[5,5]", "seeds", "command line 'seeds=[5,5]': seeds: seeds repeat: [5, 5]");
    }

    @Test
    void emptySeedListOnTheCommandLineIsRejected() {
        assertRejectedOnCommandLine("seeds=[]", "seeds", "command line 'seeds=[]': seeds: empty list: give at least one seed");
        ConfigException e = failure("task: probe\nseeds: [1]\n", "seeds=[]");
        assertEquals("command line 'seeds=[]': seeds: empty list: give at least one seed", e.getMessage());
    }

    // ---- 5. a block-style value is reported at its key's line -------------------------------------

    @Test
    void duplicateBlockMappingPointsAtBothKeys() {
        assertRejected("""
                task: probe
                params:
                  x: 1
                params:
                  n: 2
                """, 4, "params", "exp.yaml:4: params: duplicate key (first written on line 2)");
    }

    @Test
    void unknownTopLevelKeyWithBlockValuePointsAtTheKey() {
        assertRejected("""
                task: probe
                sweeep:
                  grid:
                    x: [1]
                """, 2, "sweeep", "exp.yaml:2: sweeep: unknown key; did you mean 'sweep'? (accepted: name, description, "
                + "task, params, sweep, seed, seeds, repeats, overrides, exclude, timeout, headline, tracking, report, claims, launcher, resources, command, schema)");
    }

    @Test
    void badElementOfABlockListInParamsPointsAtTheKey() {
        assertRejected("""
                task: probe
                params:
                  levels:
                    - 4
                    - 1
                """, 3, "params.levels",
                "exp.yaml:3: params.levels: 1 is out of range (accepted: list of integers with elements in [2, 16])");
    }

    // ---- 6. a dotted and a nested spelling of one key conflict ------------------------------------

    @Test
    void dottedThenNestedParamIsRejected() {
        assertRejected("""
                task: probe
                params:
                  gadget.factor: 3
                  gadget:
                    factor: 4
                """, 5, "params.gadget.factor", "exp.yaml:5: params.gadget.factor: 'gadget.factor' is written twice "
                + "(also at exp.yaml:3, as a dotted or a nested key)");
    }

    @Test
    void nestedThenDottedParamIsRejected() {
        assertRejected("""
                task: probe
                params:
                  gadget:
                    factor: 4
                  gadget.factor: 3
                """, 5, "params.gadget.factor", "exp.yaml:5: params.gadget.factor: 'gadget.factor' is written twice "
                + "(also at exp.yaml:4, as a dotted or a nested key)");
    }

    @Test
    void dottedAndNestedGridAxisIsRejected() {
        assertRejected("""
                task: probe
                params: {gadget: scaled}
                sweep:
                  grid:
                    gadget.factor: [3]
                    gadget:
                      factor: [4]
                """, 7, "sweep.grid.gadget.factor", "exp.yaml:7: sweep.grid.gadget.factor: 'gadget.factor' is written "
                + "twice (also at exp.yaml:5, as a dotted or a nested key)");
    }

    @Test
    void dottedAndNestedKeysConflictInZipsOverridesAndExcludes() {
        assertRejected("""
                task: probe
                sweep:
                  zip:
                    gadget.factor: [3]
                    gadget:
                      factor: [4]
                """, 6, "sweep.zip.gadget.factor", "exp.yaml:6: sweep.zip.gadget.factor: 'gadget.factor' is written "
                + "twice (also at exp.yaml:4, as a dotted or a nested key)");
        assertRejected("""
                task: probe
                overrides:
                  - when: {n: 1}
                    set:
                      gadget.factor: 3
                      gadget: {factor: 4}
                """, 6, "overrides[0].set.gadget.factor", "exp.yaml:6: overrides[0].set.gadget.factor: 'gadget.factor' "
                + "is written twice (also at exp.yaml:5, as a dotted or a nested key)");
        assertRejected("""
                task: probe
                exclude:
                  - gadget.factor: 3
                    gadget: {factor: 4}
                """, 4, "exclude[0].gadget.factor", "exp.yaml:4: exclude[0].gadget.factor: 'gadget.factor' "
                + "is written twice (also at exp.yaml:3, as a dotted or a nested key)");
    }

    // ---- 7. an exclusion sees the values after overrides -------------------------------------------

    @Test
    void excludeMatchesAKeyThatOnlyAnOverrideSets() {
        SweepPlan plan = expand("""
                task: probe
                params: {x: 1}
                sweep:
                  grid:
                    n: [1, 2]
                overrides:
                  - when: {n: 2}
                    set: {steps: 5}
                exclude:
                  - {steps: 5}
                """);
        assertEquals(1, plan.configurations());
        assertEquals(1, plan.trials().size());
        assertEquals(1L, plan.trials().get(0).params().asMap().get("n"));
        assertEquals(3L, plan.trials().get(0).params().asMap().get("steps"));
        assertEquals(1.0, plan.trials().get(0).params().asMap().get("x"));
    }

    @Test
    void misspeltWhenStillListsOverrideKeysAsAccepted() {
        assertRejected("""
                task: probe
                sweep: {grid: {n: [1, 2]}}
                overrides:
                  - when: {n: 2}
                    set: {steps: 5}
                exclude:
                  - {stesp: 5}
                """, 7, "exclude[0].stesp", "exp.yaml:7: exclude[0].stesp: matches on a parameter the experiment never "
                + "sets; did you mean 'steps'? (accepted: n, steps)");
    }

    // ---- 8. a timeout under 1ms is rejected, not truncated to zero ----------------------------------

    @Test
    void subMillisecondTimeoutIsRejected() {
        assertRejected("""
                task: probe
                timeout: 0.4ms
                """, 2, "timeout", "exp.yaml:2: timeout: invalid duration '0.4ms'" + ACCEPTED_DURATIONS);
        assertRejected("""
                task: probe
                timeout: PT0.0004S
                """, 2, "timeout", "exp.yaml:2: timeout: invalid duration 'PT0.0004S'" + ACCEPTED_DURATIONS);
        assertRejectedOnCommandLine("timeout=0.4ms", "timeout",
                "command line 'timeout=0.4ms': timeout: invalid duration '0.4ms'" + ACCEPTED_DURATIONS);
    }

    @Test
    void oneMillisecondTimeoutIsAccepted() {
        SweepPlan plan = expand("task: probe\ntimeout: 1ms\n");
        assertEquals(Duration.ofMillis(1), plan.experiment().trialTimeout());
        assertEquals(Duration.ofMillis(1), expand("task: probe\n", "timeout=1ms").experiment().trialTimeout());
    }

    // ---- 9. -0.0 and 0 are one configuration ------------------------------------------------------

    @Test
    void negativeZeroAndZeroHaveOneTrialId() {
        String zero = expand("task: probe\nparams: {x: 0}\n").trials().get(0).id();
        assertEquals(zero, expand("task: probe\nparams: {x: -0.0}\n").trials().get(0).id());
        assertEquals(zero, expand("task: probe\nparams: {x: 0.0}\n").trials().get(0).id());
        assertEquals(zero, expand("task: probe\n", "x=-0.0").trials().get(0).id());
        assertEquals(0.0, expand("task: probe\nparams: {x: -0.0}\n").trials().get(0).params().asMap().get("x"));
    }

    @Test
    void negativeZeroAndZeroInOneSweepAreOneConfiguration() {
        SweepPlan plan = expand("""
                task: probe
                sweep: {grid: {x: [0, -0.0, 0.0]}}
                """);
        assertEquals(1, plan.configurations());
        assertEquals(2, plan.duplicatesDropped());
        assertEquals(1, plan.trials().size());
    }

    // ---- further message fixes -------------------------------------------------------------------

    @Test
    void misspeltGridKeyIsReportedWithoutAnElementIndex() {
        assertRejected("""
                task: probe
                sweep:
                  grid:
                    sleepms: [1, 2]
                """, 4, "sweep.grid.sleepms", "exp.yaml:4: sweep.grid.sleepms: unknown parameter of task 'probe'; "
                + "did you mean 'sleep_ms'? (accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)");
        assertRejected("""
                task: probe
                sweep:
                  zip:
                    sleepms: [1, 2]
                    x: [1, 2]
                """, 4, "sweep.zip.sleepms", "exp.yaml:4: sweep.zip.sleepms: unknown parameter of task 'probe'; "
                + "did you mean 'sleep_ms'? (accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)");
    }

    @Test
    void unclosedBraceReportsALineThatExists() {
        ConfigException e = failure("task: probe\nparams: {x: 1\n");
        assertEquals("exp.yaml:2: invalid YAML: expected ',' or '}', but got <stream end>", e.getMessage());
        assertNull(e.origin());
        ConfigException noNewline = failure("task: probe\nparams: {x: 1");
        assertEquals("exp.yaml:2: invalid YAML: expected ',' or '}', but got <stream end>", noNewline.getMessage());
    }

    @Test
    void invalidYamlOnTheCommandLineHasNoFakeLine() {
        assertRejectedOnCommandLine("x=[", "x",
                "command line 'x=[': x: invalid YAML: expected the node content, but found '<stream end>'");
        assertRejectedOnCommandLine("x=\"abc", "x",
                "command line 'x=\"abc': x: invalid YAML: found unexpected end of stream");
    }

    @Test
    void whenOnAnUnknownKeyWithNothingSetSaysSo() {
        assertRejected("""
                task: probe
                overrides:
                  - when: {zz: 1}
                    set: {}
                """, 3, "overrides[0].when.zz", "exp.yaml:3: overrides[0].when.zz: matches on a parameter the "
                + "experiment never sets (accepted: none: the experiment sets no parameter)");
        assertRejected("""
                task: probe
                exclude:
                  - {zz: 1}
                """, 3, "exclude[0].zz", "exp.yaml:3: exclude[0].zz: matches on a parameter the "
                + "experiment never sets (accepted: none: the experiment sets no parameter)");
    }

    // ---- second round: found by the regression tests themselves -------------------------------------

    @Test
    void anOverrideSeesWhatAnEarlierOverrideSet() {
        SweepPlan plan = expand("""
                task: probe
                sweep: {grid: {n: [1, 2]}}
                overrides:
                  - when: {n: 2}
                    set: {steps: 5}
                  - when: {steps: 5}
                    set: {sleep_ms: 7}
                """);
        assertEquals(2, plan.configurations());
        assertEquals(0L, plan.trials().get(0).params().getLong("sleep_ms"));
        assertEquals(5L, plan.trials().get(1).params().getLong("steps"));
        assertEquals(7L, plan.trials().get(1).params().getLong("sleep_ms"));
    }

    @Test
    void anOverrideMayNotMatchOnAKeyOnlyALaterOverrideSets() {
        assertRejected("""
                task: probe
                sweep: {grid: {n: [1, 2]}}
                overrides:
                  - when: {steps: 5}
                    set: {sleep_ms: 7}
                  - when: {n: 2}
                    set: {steps: 5}
                """, 4, "overrides[0].when.steps",
                "exp.yaml:4: overrides[0].when.steps: matches on a parameter the experiment never sets (accepted: n)");
    }

    @Test
    void durationsUnderOneMillisecondAreRejectedBeforeRounding() {
        assertRejected("task: probe\ntimeout: 0.5ms\n", 2, "timeout",
                "exp.yaml:2: timeout: invalid duration '0.5ms'" + ACCEPTED_DURATIONS);
        assertRejected("task: probe\ntimeout: 0.99ms\n", 2, "timeout",
                "exp.yaml:2: timeout: invalid duration '0.99ms'" + ACCEPTED_DURATIONS);
    }

    @Test
    void aLargeNumberOfSecondsIsADuration() {
        assertEquals(Duration.ofSeconds(10_000_000), expand("task: probe\ntimeout: 1e7\n").experiment().trialTimeout());
        assertEquals(Duration.ofMillis(1500), expand("task: probe\ntimeout: 1.5\n").experiment().trialTimeout());
    }

    @Test
    void taggedScalarsMustBeValidYamlNumbers() {
        assertRejected("task: probe\nparams:\n  n: !!int +-5\n", 3, "params.n",
                "exp.yaml:3: params.n: '+-5' is not a valid !!int");
        assertRejected("task: probe\nparams:\n  n: !!int 0x-5\n", 3, "params.n",
                "exp.yaml:3: params.n: '0x-5' is not a valid !!int");
        assertRejected("task: probe\nparams:\n  x: !!float 2d\n", 3, "params.x",
                "exp.yaml:3: params.x: '2d' is not a valid !!float");
        assertRejected("task: probe\nparams:\n  x: !!float 0x1p3\n", 3, "params.x",
                "exp.yaml:3: params.x: '0x1p3' is not a valid !!float");
        assertEquals(16L, expand("task: probe\nparams:\n  n: !!int 0x10\n").trials().get(0).params().getLong("n"));
        assertEquals(2.5, expand("task: probe\nparams:\n  x: !!float 2.5\n").trials().get(0).params().getDouble("x"));
    }
}
