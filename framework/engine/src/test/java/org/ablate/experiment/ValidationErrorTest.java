package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input is reported before anything runs, as one line naming the file, the line and
 * the key, what is wrong and what would be accepted.
 */
class ValidationErrorTest {

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    /** Parses, applies the overrides and expands: the whole path a `run` takes before running. */
    private static ConfigException failure(String yaml, List<String> overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> {
            ExperimentSpec spec = ExperimentParser.parse(yaml, "exp.yaml", "exp");
            spec = CommandLineOverrides.apply(spec, overrides);
            new SweepExpander(registry).expand(spec);
        });
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "message must be one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("\r"), "message must be one line: " + e.getMessage());
        return e;
    }

    private static Arguments yaml(String location, String key, String yaml, String expected) {
        return Arguments.of(location, key, yaml, List.of(), expected);
    }

    private static Arguments cli(String key, String argument, String expected) {
        return Arguments.of("command line '" + argument + "'", key, "task: probe\n", List.of(argument), expected);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // ---- parameter names ------------------------------------------------------
                yaml("exp.yaml:3", "params.xx", """
                        task: probe
                        params:
                          xx: 1
                        """, "exp.yaml:3: params.xx: unknown parameter of task 'probe'; did you mean 'x'? "
                        + "(accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)"),
                yaml("exp.yaml:4", "params.stesp", """
                        task: probe
                        params:
                          n: 2
                          stesp: 10
                        """, "exp.yaml:4: params.stesp: unknown parameter of task 'probe'; did you mean 'steps'? "
                        + "(accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)"),
                // ---- types ----------------------------------------------------------------
                yaml("exp.yaml:2", "params.x", """
                        task: probe
                        params: {x: abc}
                        """, "exp.yaml:2: params.x: expected a real in [0, 100], got 'abc'"),
                yaml("exp.yaml:3", "params.n", """
                        task: probe
                        params:
                          n: 1.5
                        """, "exp.yaml:3: params.n: expected an integer in [1, 1000], got 1.5"),
                yaml("exp.yaml:3", "params.flag", """
                        task: probe
                        params:
                          flag: "yes"
                        """, "exp.yaml:3: params.flag: expected a boolean, got 'yes'"),
                yaml("exp.yaml:3", "params.flag", """
                        task: probe
                        params:
                          flag: yes        # YAML 1.2: a string, not a boolean
                        """, "exp.yaml:3: params.flag: expected a boolean, got 'yes'"),
                yaml("exp.yaml:3", "params.levels", """
                        task: probe
                        params:
                          levels: 4
                        """, "exp.yaml:3: params.levels: expected a list of integers with elements in [2, 16], got 4"),
                yaml("exp.yaml:2", "params.label", """
                        task: needs-label
                        params: {label: 5}
                        """, "exp.yaml:2: params.label: expected a string, got 5"),
                yaml("exp.yaml:2", "params.n", """
                        task: probe
                        params: {n: 99999999999999999999}
                        """, "exp.yaml:2: params.n: integer 99999999999999999999 does not fit in 64 bits"),
                // ---- ranges and choices -----------------------------------------------------
                yaml("exp.yaml:3", "params.x", """
                        task: probe
                        params:
                          x: 200
                        """, "exp.yaml:3: params.x: 200 is out of range (accepted: real in [0, 100])"),
                yaml("exp.yaml:3", "params.levels", """
                        task: probe
                        params:
                          levels: [4, 1, 8]
                        """, "exp.yaml:3: params.levels: 1 is out of range (accepted: list of integers with elements in [2, 16])"),
                yaml("exp.yaml:5", "sweep.grid.gadget.factor[1]", """
                        task: probe
                        params: {gadget: scaled}
                        sweep:
                          grid:
                            gadget.factor: [3, 0.25]
                        """, "exp.yaml:5: sweep.grid.gadget.factor[1]: 0.25 is out of range (accepted: real in [0.5, 10])"),
                yaml("exp.yaml:3", "params.mode", """
                        task: probe
                        params:
                          mode: slo
                        """, "exp.yaml:3: params.mode: 'slo' is not accepted; did you mean 'slow'? "
                        + "(accepted: one of ok, fail, slow, hang)"),
                yaml("exp.yaml:2", "params.x", """
                        task: probe
                        params: {x: .nan}
                        """, "exp.yaml:2: params.x: NaN is not a valid value (accepted: real in [0, 100])"),
                // ---- tasks and components -------------------------------------------------
                yaml("exp.yaml:1", "label", """
                        task: needs-label
                        """, "exp.yaml:1: label: missing required parameter of task 'needs-label' (string: Any text.)"),
                yaml("exp.yaml:1", "task", """
                        params: {n: 1}
                        """, "exp.yaml:1: task: missing required key (the task each trial runs)"),
                yaml("exp.yaml:3", "params.gadget", """
                        task: probe
                        params:
                          gadget: fancy
                        """, "exp.yaml:3: params.gadget: unknown gadget 'fancy' (accepted: plain, scaled)"),
                yaml("exp.yaml:4", "params.gadget.factr", """
                        task: probe
                        params:
                          gadget: scaled
                          gadget.factr: 3
                        """, "exp.yaml:4: params.gadget.factr: unknown parameter of gadget 'scaled'; "
                        + "did you mean 'gadget.factor'? (accepted: gadget.factor)"),
                yaml("exp.yaml:4", "params.gadget.factor", """
                        task: probe
                        params:
                          gadget: plain
                          gadget.factor: 3
                        """, "exp.yaml:4: params.gadget.factor: unknown parameter of gadget 'plain' (accepted: none)"),
                // ---- sweep structure --------------------------------------------------------
                yaml("exp.yaml:5", "sweep.zip.n", """
                        task: probe
                        sweep:
                          zip:
                            x: [1, 2]
                            n: [1, 2, 3]
                        """, "exp.yaml:5: sweep.zip.n: zipped lists must have equal lengths: 'x' has 2 values, 'n' has 3"),
                yaml("exp.yaml:6", "sweep.zip[1].sleep_ms", """
                        task: probe
                        sweep:
                          zip:
                            - {x: [1, 2], n: [1, 2]}
                            - steps: [1, 2]
                              sleep_ms: [1]
                        """, "exp.yaml:6: sweep.zip[1].sleep_ms: zipped lists must have equal lengths: "
                        + "'steps' has 2 values, 'sleep_ms' has 1"),
                yaml("exp.yaml:4", "sweep.grid.x", """
                        task: probe
                        sweep:
                          grid:
                            x: []
                        """, "exp.yaml:4: sweep.grid.x: empty list: a swept parameter needs at least one value"),
                yaml("exp.yaml:4", "sweep.grid.x", """
                        task: probe
                        sweep:
                          grid:
                            x: 5
                        """, "exp.yaml:4: sweep.grid.x: a swept parameter takes a list of values, got 5 "
                        + "(write a single value under 'params')"),
                yaml("exp.yaml:6", "sweep.grid.x", """
                        task: probe
                        params:
                          x: 1
                        sweep:
                          grid:
                            x: [1, 2]
                        """, "exp.yaml:6: sweep.grid.x: both fixed (at exp.yaml:3) and swept; keep one"),
                yaml("exp.yaml:6", "sweep.grid.gadget.factor", """
                        task: probe
                        params:
                          gadget.factor: 3
                        sweep:
                          grid:
                            gadget: {factor: [1, 2]}
                        """, "exp.yaml:6: sweep.grid.gadget.factor: both fixed (at exp.yaml:3) and swept; keep one"),
                yaml("exp.yaml:4", "sweep.zip.n", """
                        task: probe
                        sweep:
                          grid: {n: [1, 2]}
                          zip: {n: [3, 4], x: [1, 2]}
                        """, "exp.yaml:4: sweep.zip.n: swept twice (also at exp.yaml:3)"),
                yaml("exp.yaml:2", "sweep.gird", """
                        task: probe
                        sweep: {gird: {x: [5]}}
                        """, "exp.yaml:2: sweep.gird: unknown key; did you mean 'grid'? (accepted: grid, zip)"),
                // ---- YAML itself ------------------------------------------------------------
                yaml("exp.yaml:4", "params.x", """
                        task: probe
                        params:
                          x: 1
                          x: 2
                        """, "exp.yaml:4: params.x: duplicate key (first written on line 3)"),
                yaml("exp.yaml:3", "task", """
                        task: probe
                        params: {n: 2}
                        task: needs-label
                        """, "exp.yaml:3: task: duplicate key (first written on line 1)"),
                yaml("exp.yaml:1", "(top level)", """
                        - task
                        - probe
                        """, "exp.yaml:1: (top level): expected a mapping of keys to values, got a list"),
                // ---- top level --------------------------------------------------------------
                yaml("exp.yaml:2", "sweeep", """
                        task: probe
                        sweeep: {grid: {x: [1, 2]}}
                        """, "exp.yaml:2: sweeep: unknown key; did you mean 'sweep'? (accepted: name, description, task, "
                        + "params, sweep, seed, seeds, repeats, overrides, exclude, timeout, headline, tracking, report, claims, launcher, resources, command, schema)"),
                yaml("exp.yaml:1", "name", """
                        name: runs/quick
                        task: probe
                        """, "exp.yaml:1: name: experiment name 'runs/quick' must be usable as a folder name "
                        + "(letters, digits, '.', '_', '-')"),
                yaml("exp.yaml:2", "description", """
                        task: probe
                        description: [a, b]
                        """, "exp.yaml:2: description: expected a string, got a list"),
                // ---- seeding ----------------------------------------------------------------
                yaml("exp.yaml:3", "repeats", """
                        task: probe
                        seeds: [1, 2]
                        repeats: 3
                        """, "exp.yaml:3: repeats: give either 'seeds' (an explicit list) or 'seed'/'repeats', not both"),
                yaml("exp.yaml:2", "seed", """
                        task: probe
                        seed: 4
                        seeds: [1, 2]
                        """, "exp.yaml:2: seed: give either 'seeds' (an explicit list) or 'seed'/'repeats', not both"),
                yaml("exp.yaml:2", "seeds", """
                        task: probe
                        seeds: [1, 2, 1]
                        """, "exp.yaml:2: seeds: seeds repeat: [1, 2, 1]"),
                yaml("exp.yaml:2", "seeds[1]", """
                        task: probe
                        seeds: [1, a]
                        """, "exp.yaml:2: seeds[1]: expected an integer, got 'a'"),
                yaml("exp.yaml:2", "repeats", """
                        task: probe
                        repeats: 0
                        """, "exp.yaml:2: repeats: repeats must be in [1, 100000], got 0"),
                // ---- run settings -----------------------------------------------------------
                yaml("exp.yaml:2", "timeout", """
                        task: probe
                        timeout: 10 minutes
                        """, "exp.yaml:2: timeout: invalid duration '10 minutes' "
                        + "(accepted: at least 1ms, as a number with unit ms, s, m, h or d, e.g. 90s, 10m, 1.5h)"),
                yaml("exp.yaml:2", "timeout", """
                        task: probe
                        timeout: 0
                        """, "exp.yaml:2: timeout: invalid duration 0 "
                        + "(accepted: at least 1ms, as a number with unit ms, s, m, h or d, e.g. 90s, 10m, 1.5h)"),
                // ---- overrides and exclusions ---------------------------------------------
                yaml("exp.yaml:5", "exclude[0].nn", """
                        task: probe
                        sweep:
                          grid: {n: [1, 2], x: [1, 2]}
                        exclude:
                          - {nn: 1}
                        """, "exp.yaml:5: exclude[0].nn: matches on a parameter the experiment never sets; did you mean 'n'? "
                        + "(accepted: n, x)"),
                yaml("exp.yaml:6", "exclude[1].mode", """
                        task: probe
                        sweep:
                          grid: {n: [1, 2], x: [1, 2]}
                        exclude:
                          - {n: 1, x: 1}
                          - {mode: ok}
                        """, "exp.yaml:6: exclude[1].mode: matches on a parameter the experiment never sets "
                        + "(accepted: n, x)"),
                yaml("exp.yaml:5", "overrides[0].when.mdoe", """
                        task: probe
                        sweep:
                          grid: {mode: [ok, slow]}
                        overrides:
                          - when: {mdoe: slow}
                            set: {sleep_ms: 5}
                        """, "exp.yaml:5: overrides[0].when.mdoe: matches on a parameter the experiment never sets; "
                        + "did you mean 'mode'? (accepted: mode)"),
                yaml("exp.yaml:6", "overrides[0].set.sleepms", """
                        task: probe
                        sweep:
                          grid: {mode: [ok, slow]}
                        overrides:
                          - when: {mode: slow}
                            set: {sleepms: 5}
                        """, "exp.yaml:6: overrides[0].set.sleepms: unknown parameter of task 'probe'; "
                        + "did you mean 'sleep_ms'? (accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)"),
                yaml("exp.yaml:3", "overrides[0]", """
                        task: probe
                        overrides:
                          - when: {x: 1}
                        """, "exp.yaml:3: overrides[0]: an override needs both 'when' and 'set'"),
                // ---- command line -----------------------------------------------------------
                cli("x", "x=abc", "command line 'x=abc': x: expected a real in [0, 100], got 'abc'"),
                cli("x", "x=\"1e-3\"", "command line 'x=\"1e-3\"': x: expected a real in [0, 100], got '1e-3'"),
                cli("xx", "xx=1", "command line 'xx=1': xx: unknown parameter of task 'probe'; did you mean 'x'? "
                        + "(accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)"),
                cli("n", "n=[1,0]", "command line 'n=[1,0]': n: 0 is out of range (accepted: integer in [1, 1000])"),
                cli("x", "x=", "command line 'x=': x: missing value after '='"),
                cli("n", "n=[]", "command line 'n=[]': n: empty list: a swept parameter needs at least one value"),
                cli("x", "x={a: 1}", "command line 'x={a: 1}': x: value must be a scalar or a [list]"),
                cli("seeds", "seeds=[1,a]", "command line 'seeds=[1,a]': seeds: seeds must be integers, got 'a'"),
                cli("repeats", "repeats=x", "command line 'repeats=x': repeats: repeats must be an integer, got 'x'"),
                cli("repeats", "repeats=0", "command line 'repeats=0': repeats: repeats must be in [1, 100000], got 0"),
                cli("seed", "seed=1.5", "command line 'seed=1.5': seed: seed must be an integer, got 1.5"),
                cli("timeout", "timeout=soon", "command line 'timeout=soon': timeout: invalid duration 'soon' "
                        + "(accepted: at least 1ms, as a number with unit ms, s, m, h or d, e.g. 90s, 10m, 1.5h)"));
    }

    @ParameterizedTest(name = "[{index}] {4}")
    @MethodSource("badInputs")
    void rejectedWithOneLineMessageNamingLocationAndKey(String location, String key, String yaml,
                                                        List<String> overrides, String expected) {
        ConfigException e = failure(yaml, overrides);
        assertEquals(expected, e.getMessage());
        assertTrue(e.getMessage().startsWith(location + ": " + key + ": "), e.getMessage());
        assertNotNull(e.origin(), "a message about a key carries its origin");
        assertEquals(location, e.origin().location());
        assertEquals(key, e.origin().key());
    }

    // ---- errors about a whole file or argument, with no key --------------------------------------

    /** The tasks the test classpath registers, as the message lists them (sorted). */
    private static String acceptedTasks() {
        List<String> names = registry.names(Task.class);
        assertTrue(names.containsAll(List.of("needs-label", "probe")), names.toString());
        assertEquals(names.stream().sorted().toList(), names);
        return String.join(", ", names);
    }

    @Test
    void unknownTaskWithSuggestion() {
        ConfigException e = failure("""
                name: typo
                task: prob
                """, List.of());
        assertEquals("exp.yaml:2: task: unknown task 'prob'; did you mean 'probe'? (accepted: " + acceptedTasks() + ")",
                e.getMessage());
        assertEquals("task", e.origin().key());
        assertEquals(2, e.origin().line());
    }

    @Test
    void unknownTaskWithoutSuggestion() {
        ConfigException e = failure("task: zzzzzz\n", List.of());
        assertEquals("exp.yaml:1: task: unknown task 'zzzzzz' (accepted: " + acceptedTasks() + ")", e.getMessage());
    }

    @Test
    void invalidYamlSyntaxNamesTheLine() {
        ConfigException e = failure("""
                task: probe
                params: {x: 1}}
                sweep: {}
                """, List.of());
        assertEquals("exp.yaml:2: invalid YAML: expected <block end>, but found '}'", e.getMessage());
        assertNull(e.origin());
    }

    @Test
    void tabIndentationNamesTheLine() {
        ConfigException e = failure("task: probe\nparams:\n\tx: 1\n", List.of());
        assertEquals("exp.yaml:3: invalid YAML: found character '\\t(TAB)' that cannot start any token. "
                + "(Do not use \\t(TAB) for indentation)", e.getMessage());
    }

    @Test
    void undefinedAliasNamesTheLine() {
        ConfigException e = failure("""
                task: probe
                params: &a {x: 1}
                sweep: *b
                """, List.of());
        assertEquals("exp.yaml:3: invalid YAML: found undefined alias b", e.getMessage());
    }

    @Test
    void badIndentationNamesTheLine() {
        ConfigException e = failure("""
                task: probe
                 params: {x: 1}
                """, List.of());
        assertEquals("exp.yaml:2: invalid YAML: mapping values are not allowed here", e.getMessage());
    }

    @Test
    void commandLineArgumentWithoutEqualsIsNotAnOverride() {
        ConfigException e = failure("task: probe\n", List.of("x=2", "foo"));
        assertEquals("command line 'foo': not an override "
                + "(accepted: key=value to fix a parameter, key=[a,b] to sweep it)", e.getMessage());
        assertNull(e.origin());
    }

    @Test
    void everyConfigurationExcluded() {
        ConfigException e = failure("""
                task: probe
                sweep:
                  grid: {n: [1, 2]}
                exclude: [{n: 1}, {n: 2.0}]
                """, List.of());
        assertEquals("exp.yaml: exclude: every configuration is excluded: nothing to run", e.getMessage());
    }

    @Test
    void firstBadConfigurationOfASweepIsReportedEvenIfOthersAreFine() {
        ConfigException e = failure("""
                task: probe
                sweep:
                  grid:
                    x: [1, 2, 300, 4]
                """, List.of());
        assertEquals("exp.yaml:4: sweep.grid.x[2]: 300 is out of range (accepted: real in [0, 100])", e.getMessage());
    }

    // ---- YAML tags must never construct anything ------------------------------------------------

    /** Counts class initialisation and construction: a YAML tag naming it must do neither. */
    static final AtomicInteger CANARY = new AtomicInteger();

    public static final class Canary {
        static {
            CANARY.incrementAndGet();
        }

        public Canary() {
            CANARY.incrementAndGet();
        }
    }

    @Test
    void javaObjectTagIsRejected() {
        ConfigException e = failure("""
                task: probe
                params:
                  x: !!java/object:java.lang.Object 3
                """, List.of());
        assertEquals("exp.yaml:3: params.x: unsupported YAML tag tag:yaml.org,2002:java/object:java.lang.Object "
                + "(accepted: plain strings, numbers, booleans, lists and mappings)", e.getMessage());
    }

    @Test
    void customLocalTagIsRejected() {
        ConfigException e = failure("""
                task: probe
                params:
                  mode: !foo ok
                """, List.of());
        assertEquals("exp.yaml:3: params.mode: unsupported YAML tag !foo "
                + "(accepted: plain strings, numbers, booleans, lists and mappings)", e.getMessage());
    }

    @Test
    void binaryAndTimestampTagsAreRejected() {
        assertEquals("exp.yaml:2: params.x: unsupported YAML tag tag:yaml.org,2002:binary "
                        + "(accepted: plain strings, numbers, booleans, lists and mappings)",
                failure("task: probe\nparams: {x: !!binary aGVsbG8=}\n", List.of()).getMessage());
        assertEquals("exp.yaml:2: params.x: unsupported YAML tag tag:yaml.org,2002:timestamp "
                        + "(accepted: plain strings, numbers, booleans, lists and mappings)",
                failure("task: probe\nparams: {x: !!timestamp 2001-12-14}\n", List.of()).getMessage());
    }

    @Test
    void tagNamingAClassNeverLoadsOrConstructsIt() {
        String tag = "!!" + Canary.class.getName();
        int before = CANARY.get(); // 0 unless something already initialised Canary
        ConfigException e = failure("task: probe\nparams:\n  x: " + tag + " 1\n", List.of());
        assertEquals("exp.yaml:3: params.x: unsupported YAML tag tag:yaml.org,2002:" + Canary.class.getName()
                + " (accepted: plain strings, numbers, booleans, lists and mappings)", e.getMessage());
        // the same tag on a mapping, a sequence, in a sweep and on the command line
        for (String yaml : List.of(
                "task: probe\nparams: " + tag + " {x: 1}\n",
                "task: probe\nparams: {levels: " + tag + " [4, 4]}\n",
                "task: probe\nsweep: {grid: {x: [" + tag + " 1]}}\n",
                "task: probe\nsweep: " + tag + " {grid: {x: [1]}}\n")) {
            try {
                new SweepExpander(registry).expand(ExperimentParser.parse(yaml, "exp.yaml", "exp"));
            } catch (ConfigException expected) {
                // rejecting is fine; constructing is not
            }
        }
        try {
            CommandLineOverrides.apply(ExperimentParser.parse("task: probe\n", "exp.yaml", "exp"), List.of("x=" + tag + " 1"));
        } catch (ConfigException expected) {
            // rejecting is fine; constructing is not
        }
        assertEquals(0, before);
        assertEquals(0, CANARY.get(), "a YAML tag initialised or constructed " + Canary.class.getName());
    }
}
