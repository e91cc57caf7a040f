package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How an experiment file (plus command-line overrides) expands into trials. */
class SweepExpansionTest {

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private static ExperimentSpec parse(String yaml) {
        return ExperimentParser.parse(yaml, "exp.yaml", "exp");
    }

    private static SweepPlan expand(String yaml, String... overrides) {
        ExperimentSpec spec = CommandLineOverrides.apply(parse(yaml), List.of(overrides));
        return new SweepExpander(registry).expand(spec);
    }

    /** The values of {@code keys} in each trial, in trial order. */
    private static List<List<Object>> column(SweepPlan plan, String... keys) {
        List<List<Object>> rows = new ArrayList<>();
        for (TrialSpec t : plan.trials()) {
            List<Object> row = new ArrayList<>();
            for (String k : keys) {
                row.add(k.equals("seed") ? (Object) t.seed() : t.params().asMap().get(k));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Long> seeds(SweepPlan plan) {
        return plan.trials().stream().map(TrialSpec::seed).toList();
    }

    @Nested
    class Grid {

        @Test
        void cartesianProductWithFirstAxisOutermost() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid:
                        n: [1, 2]
                        x: [3, 4]
                        mode: [ok, fail]
                    """);
            assertEquals(8, plan.trials().size());
            assertEquals(8, plan.configurations());
            assertEquals(0, plan.duplicatesDropped());
            assertEquals(List.of(
                    List.of(1L, 3.0, "ok"), List.of(1L, 3.0, "fail"),
                    List.of(1L, 4.0, "ok"), List.of(1L, 4.0, "fail"),
                    List.of(2L, 3.0, "ok"), List.of(2L, 3.0, "fail"),
                    List.of(2L, 4.0, "ok"), List.of(2L, 4.0, "fail")),
                    column(plan, "n", "x", "mode"));
        }

        @Test
        void trialIndicesFollowRunOrderAndIdsAreDistinct() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {n: [1, 2, 3], flag: [true, false]}
                    """);
            for (int i = 0; i < plan.trials().size(); i++) {
                assertEquals(i, plan.trials().get(i).index());
            }
            assertEquals(6, plan.trials().stream().map(TrialSpec::id).distinct().count());
        }

        @Test
        void noSweepGivesOneTrialWithAllDefaultsFilledIn() {
            SweepPlan plan = expand("task: probe\n");
            assertEquals(1, plan.trials().size());
            TrialSpec t = plan.trials().get(0);
            assertEquals(0L, t.seed());
            assertEquals("probe", t.task());
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("x", 1.0);
            expected.put("n", 10L);
            expected.put("mode", "ok");
            expected.put("steps", 3L);
            expected.put("sleep_ms", 0L);
            expected.put("flag", false);
            expected.put("levels", List.of(8L, 5L));
            expected.put("gadget", "plain");
            assertEquals(expected, t.params().asMap());
            // resolution order is the schema's declaration order
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(t.params().asMap().keySet()));
            assertEquals(List.of(), plan.varyingKeys());
            assertEquals(Map.of(), t.varying());
            assertEquals("seed=0", t.displayName());
        }

        @Test
        void fixedValuesAreTypedBySchema() {
            SweepPlan plan = expand("""
                    task: probe
                    params:
                      x: 3          # written as an integer, x is real
                      n: 7
                      flag: true
                      levels: [2, 16, 4]
                    """);
            Parameters p = plan.trials().get(0).params();
            assertInstanceOf(Double.class, p.get("x"));
            assertEquals(3.0, p.get("x"));
            assertEquals(7L, p.get("n"));
            assertEquals(true, p.get("flag"));
            assertEquals(List.of(2L, 16L, 4L), p.get("levels"));
            // values not written take the declared defaults
            assertEquals("ok", p.get("mode"));
            assertEquals(3L, p.get("steps"));
        }

        @Test
        void listValuedParameterCanBeSwept() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid:
                        levels: [[4, 4], [8, 8, 5]]
                    """);
            assertEquals(List.of(List.of(List.of(4L, 4L)), List.of(List.of(8L, 8L, 5L))), column(plan, "levels"));
            assertEquals(List.of("levels"), plan.varyingKeys());
            assertEquals("levels=[8,8,5] seed=0", plan.trials().get(1).displayName());
        }
    }

    @Nested
    class Zip {

        @Test
        void zippedValuesVaryTogether() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      zip:
                        n: [1, 2, 3]
                        x: [10, 20, 30]
                    """);
            assertEquals(List.of(List.of(1L, 10.0), List.of(2L, 20.0), List.of(3L, 30.0)), column(plan, "n", "x"));
            assertEquals(3, plan.configurations());
        }

        @Test
        void severalZipGroupsAsAListMultiply() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      zip:
                        - {n: [1, 2], x: [3, 4]}
                        - {steps: [5, 6], sleep_ms: [7, 8]}
                    """);
            assertEquals(List.of(
                    List.of(1L, 3.0, 5L, 7L), List.of(1L, 3.0, 6L, 8L),
                    List.of(2L, 4.0, 5L, 7L), List.of(2L, 4.0, 6L, 8L)),
                    column(plan, "n", "x", "steps", "sleep_ms"));
        }

        @Test
        void gridTimesZipWithGridOutermost() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {mode: [ok, fail]}
                      zip: {n: [1, 2], x: [3, 4]}
                    """);
            assertEquals(List.of(
                    List.of("ok", 1L, 3.0), List.of("ok", 2L, 4.0),
                    List.of("fail", 1L, 3.0), List.of("fail", 2L, 4.0)),
                    column(plan, "mode", "n", "x"));
        }
    }

    @Nested
    class Seeds {

        @Test
        void explicitSeedListRunsEveryConfigurationWithEachSeed() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {n: [1, 2]}
                    seeds: [3, 1, 4]
                    """);
            assertEquals(List.of(
                    List.of(1L, 3L), List.of(1L, 1L), List.of(1L, 4L),
                    List.of(2L, 3L), List.of(2L, 1L), List.of(2L, 4L)),
                    column(plan, "n", "seed"));
            assertEquals(2, plan.configurations());
            assertEquals("n=2 seed=4", plan.trials().get(5).displayName());
        }

        @Test
        void repeatsCountFromTheBaseSeed() {
            SweepPlan plan = expand("""
                    task: probe
                    seed: 10
                    repeats: 3
                    """);
            assertEquals(List.of(10L, 11L, 12L), seeds(plan));
            assertEquals(1, plan.configurations());
            // the same parameters with different seeds are different trials
            assertEquals(3, plan.trials().stream().map(TrialSpec::id).distinct().count());
        }

        @Test
        void repeatsWithoutBaseStartAtZeroAndBaseWithoutRepeatsIsOneSeed() {
            assertEquals(List.of(0L, 1L), seeds(expand("task: probe\nrepeats: 2\n")));
            assertEquals(List.of(42L), seeds(expand("task: probe\nseed: 42\n")));
            assertEquals(List.of(0L), seeds(expand("task: probe\n")));
        }
    }

    @Nested
    class OverridesAndExclusions {

        @Test
        void conditionalOverrideSetsValuesOnlyWhereItMatches() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {mode: [ok, slow], n: [1, 2]}
                    overrides:
                      - when: {mode: slow}
                        set: {sleep_ms: 5, steps: 2}
                    """);
            assertEquals(List.of(
                    List.of("ok", 1L, 0L, 3L), List.of("ok", 2L, 0L, 3L),
                    List.of("slow", 1L, 5L, 2L), List.of("slow", 2L, 5L, 2L)),
                    column(plan, "mode", "n", "sleep_ms", "steps"));
            // overridden parameters vary across the sweep, so they name the trials
            assertEquals(List.of("n", "mode", "steps", "sleep_ms"), plan.varyingKeys());
        }

        @Test
        void overrideWhenMatchesNumbersRegardlessOfHowTheyWereWritten() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {x: [1.0, 2.0]}
                    overrides:
                      - when: {x: 2}
                        set: {n: 99}
                    """);
            assertEquals(List.of(List.of(1.0, 10L), List.of(2.0, 99L)), column(plan, "x", "n"));
        }

        @Test
        void excludeDropsMatchingConfigurations() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {n: [1, 2], mode: [ok, fail]}
                    exclude:
                      - {n: 2, mode: fail}
                      - {n: 1, mode: ok}
                    """);
            assertEquals(List.of(List.of(1L, "fail"), List.of(2L, "ok")), column(plan, "n", "mode"));
            assertEquals(2, plan.configurations());
            assertEquals(0, plan.duplicatesDropped());
        }

        @Test
        void excludeAppliesToValuesAfterOverrides() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {n: [1, 2, 3]}
                    overrides:
                      - when: {n: 3}
                        set: {n: 2}
                    exclude:
                      - {n: 2}
                    """);
            assertEquals(List.of(List.of(1L)), column(plan, "n"));
        }

        @Test
        void excludingEveryConfigurationIsAnError() {
            ConfigException e = assertThrows(ConfigException.class, () -> expand("""
                    task: probe
                    sweep:
                      grid: {n: [1, 2]}
                    exclude: [{n: 1}, {n: 2}]
                    """));
            assertEquals("exp.yaml: exclude: every configuration is excluded: nothing to run", e.getMessage());
        }

        @Test
        void overridesThatMakeConfigurationsIdenticalAreRunOnce() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {n: [1, 2], x: [1, 2]}
                    overrides:
                      - when: {x: 2}
                        set: {n: 1}
                    seeds: [0, 1]
                    """);
            // (n=1,x=2) and (n=2,x=2 → n=1) resolve alike; the second is dropped
            assertEquals(3, plan.configurations());
            assertEquals(1, plan.duplicatesDropped());
            assertEquals(6, plan.trials().size());
            assertEquals(List.of(
                    List.of(1L, 1.0, 0L), List.of(1L, 1.0, 1L),
                    List.of(1L, 2.0, 0L), List.of(1L, 2.0, 1L),
                    List.of(2L, 1.0, 0L), List.of(2L, 1.0, 1L)),
                    column(plan, "n", "x", "seed"));
            assertEquals(6, plan.trials().stream().map(TrialSpec::id).distinct().count());
        }

        @Test
        void valuesThatResolveAlikeAreDuplicates() {
            // 1 and 1.0 are the same real; a default written out equals the default left out
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {x: [1, 1.0, 1e0, 2]}
                    """);
            assertEquals(2, plan.configurations());
            assertEquals(2, plan.duplicatesDropped());
            assertEquals(List.of(List.of(1.0), List.of(2.0)), column(plan, "x"));
            assertEquals(plan.trials().get(0).id(), expand("task: probe\n").trials().get(0).id());
        }
    }

    @Nested
    class Components {

        @Test
        void nestedComponentParameterSweptWithDottedKey() {
            SweepPlan plan = expand("""
                    task: probe
                    params:
                      gadget: scaled
                    sweep:
                      grid:
                        gadget.factor: [0.5, 3]
                    """);
            assertEquals(List.of(List.of("scaled", 0.5), List.of("scaled", 3.0)), column(plan, "gadget", "gadget.factor"));
            assertEquals(List.of("gadget.factor"), plan.varyingKeys());
            assertEquals("gadget.factor=3.0 seed=0", plan.trials().get(1).displayName());
            assertEquals(Map.of("factor", 3.0), plan.trials().get(1).params().scope("gadget").asMap());
        }

        @Test
        void nestedMappingUnderGridIsTheSameAsDottedKey() {
            SweepPlan nested = expand("""
                    task: probe
                    params: {gadget: scaled}
                    sweep:
                      grid:
                        gadget: {factor: [0.5, 3]}
                    """);
            SweepPlan dotted = expand("""
                    task: probe
                    params: {gadget: scaled}
                    sweep:
                      grid: {gadget.factor: [0.5, 3]}
                    """);
            assertEquals(dotted.trials(), nested.trials());
        }

        @Test
        void componentDefaultsAreFilledOnlyForTheChosenComponent() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {gadget: [plain, scaled]}
                    """);
            Parameters plain = plan.trials().get(0).params();
            Parameters scaled = plan.trials().get(1).params();
            assertEquals("plain", plain.get("gadget"));
            assertFalse(plain.has("gadget.factor"));
            assertEquals("scaled", scaled.get("gadget"));
            assertEquals(2.0, scaled.get("gadget.factor"));
            // gadget.factor takes one value wherever it exists, so only the component varies
            assertEquals(List.of("gadget"), plan.varyingKeys());
            assertEquals(Map.of("gadget", "plain"), plan.trials().get(0).varying());
            assertEquals(Map.of("gadget", "scaled"), plan.trials().get(1).varying());
            assertNull(plan.trials().get(0).varying().get("gadget.factor"));
        }

        @Test
        void nestedKeyVaryingAmongTheConfigurationsThatHaveItIsVarying() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      grid: {gadget: [plain, scaled], n: [1, 2]}
                    overrides:
                      - when: {gadget: scaled, n: 2}
                        set: {gadget.factor: 5}
                    """);
            assertEquals(List.of(
                    List.of("plain", 1L), List.of("plain", 2L),
                    List.of("scaled", 1L), List.of("scaled", 2L)), column(plan, "gadget", "n"));
            assertEquals(List.of("n", "gadget", "gadget.factor"), plan.varyingKeys());
            assertEquals("n=2 gadget=plain seed=0", plan.trials().get(1).displayName());
            assertEquals("n=1 gadget=scaled gadget.factor=2.0 seed=0", plan.trials().get(2).displayName());
            assertEquals("n=2 gadget=scaled gadget.factor=5.0 seed=0", plan.trials().get(3).displayName());
        }

        @Test
        void sweepingTheComponentAndItsParameterTogether() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      zip:
                        gadget: [scaled, scaled]
                        gadget.factor: [1, 10]
                    """);
            assertEquals(List.of(List.of("scaled", 1.0), List.of("scaled", 10.0)), column(plan, "gadget", "gadget.factor"));
        }
    }

    @Nested
    class VaryingKeys {

        @Test
        void onlyKeysWhoseResolvedValueDiffersAreVaryingInSchemaOrder() {
            SweepPlan plan = expand("""
                    task: probe
                    params: {steps: 4}
                    sweep:
                      grid:
                        mode: [ok, fail]
                        n: [5, 5.0]        # the same integer twice: not varying
                        x: [2, 3]
                    """);
            assertEquals(List.of("x", "mode"), plan.varyingKeys());
            assertEquals(4, plan.configurations());
            assertEquals(4, plan.duplicatesDropped());
            TrialSpec last = plan.trials().get(3);
            assertEquals(List.of("x", "mode"), List.copyOf(last.varying().keySet()));
            assertEquals(3.0, last.varying().get("x"));
            assertEquals("fail", last.varying().get("mode"));
            assertEquals("x=3.0 mode=fail seed=0", last.displayName());
        }
    }

    @Nested
    class Numbers {

        @Test
        void integerWrittenInExponentNotationIsAccepted() {
            SweepPlan plan = expand("""
                    task: probe
                    params: {n: 1e2, steps: 2.0e1}
                    """);
            Parameters p = plan.trials().get(0).params();
            assertEquals(100L, p.get("n"));
            assertEquals(20L, p.get("steps"));
            assertEquals(TrialIdentity.id("probe", p, 0),
                    expand("task: probe\nparams: {n: 100, steps: 20}\n").trials().get(0).id());
        }

        @Test
        void yamlFloatsInExponentNotationAreNumbers() {
            ExperimentSpec spec = parse("""
                    task: probe
                    params:
                      x: 1e-3
                    sweep:
                      grid:
                        gadget.factor: [1.5e0, 2E+0]
                    """);
            assertEquals(0.001, spec.params().get("x").value());
            assertEquals(List.of(1.5, 2.0),
                    spec.grid().get(0).values().stream().map(s -> s.value()).toList());
        }

        @Test
        void quotedNumberIsAString() {
            ExperimentSpec spec = parse("""
                    task: probe
                    params: {x: "1e-3"}
                    """);
            assertEquals("1e-3", spec.params().get("x").value());
        }
    }

    @Nested
    class CommandLine {

        private static final String SWEPT = """
                task: probe
                params:
                  n: 4
                sweep:
                  grid:
                    x: [1, 2]
                  zip:
                    steps: [5, 6]
                    sleep_ms: [7, 8]
                """;

        @Test
        void fixingASweptKeyReplacesTheSweep() {
            SweepPlan plan = expand(SWEPT, "x=50");
            assertEquals(List.of(List.of(50.0, 4L, 5L, 7L), List.of(50.0, 4L, 6L, 8L)),
                    column(plan, "x", "n", "steps", "sleep_ms"));
            assertEquals(List.of("steps", "sleep_ms"), plan.varyingKeys());
        }

        @Test
        void listValueSweepsAFixedKey() {
            ExperimentSpec spec = CommandLineOverrides.apply(parse(SWEPT), List.of("n=[1,2]"));
            assertFalse(spec.params().containsKey("n"));
            SweepPlan plan = new SweepExpander(registry).expand(spec);
            // the new axis is appended to the grid: innermost of the grid, outside the zip
            assertEquals(List.of(
                    List.of(1.0, 1L, 5L), List.of(1.0, 1L, 6L),
                    List.of(1.0, 2L, 5L), List.of(1.0, 2L, 6L),
                    List.of(2.0, 1L, 5L), List.of(2.0, 1L, 6L),
                    List.of(2.0, 2L, 5L), List.of(2.0, 2L, 6L)),
                    column(plan, "x", "n", "steps"));
        }

        @Test
        void overridingAZippedKeyRemovesItFromItsGroup() {
            ExperimentSpec spec = CommandLineOverrides.apply(parse(SWEPT), List.of("steps=9"));
            assertEquals(1, spec.zips().size());
            assertEquals(List.of("sleep_ms"), spec.zips().get(0).stream().map(SweepAxis::key).toList());
            SweepPlan plan = new SweepExpander(registry).expand(spec);
            assertEquals(List.of(
                    List.of(1.0, 9L, 7L), List.of(1.0, 9L, 8L),
                    List.of(2.0, 9L, 7L), List.of(2.0, 9L, 8L)),
                    column(plan, "x", "steps", "sleep_ms"));
        }

        @Test
        void overridingEveryKeyOfAZipGroupDropsTheGroup() {
            ExperimentSpec spec = CommandLineOverrides.apply(parse(SWEPT), List.of("steps=9", "sleep_ms=1"));
            assertEquals(List.of(), spec.zips());
            assertEquals(List.of(List.of(1.0, 9L, 1L), List.of(2.0, 9L, 1L)),
                    column(new SweepExpander(registry).expand(spec), "x", "steps", "sleep_ms"));
        }

        @Test
        void laterOverrideOfTheSameKeyWins() {
            SweepPlan plan = expand(SWEPT, "n=[1,2]", "n=3");
            assertEquals(List.of(3L), column(plan, "n").stream().map(r -> r.get(0)).distinct().toList());
        }

        @Test
        void seedsOverrideReplacesSeeding() {
            SweepPlan plan = expand("task: probe\nseed: 10\nrepeats: 3\n", "seeds=[5,6]");
            assertEquals(List.of(5L, 6L), seeds(plan));
            assertEquals(List.of(9L), seeds(expand("task: probe\n", "seeds=9")));
        }

        @Test
        void repeatsOverrideKeepsTheBaseSeed() {
            assertEquals(List.of(10L, 11L), seeds(expand("task: probe\nseed: 10\nrepeats: 3\n", "repeats=2")));
            assertEquals(List.of(0L, 1L), seeds(expand("task: probe\n", "repeats=2")));
        }

        @Test
        void seedOverrideKeepsTheRepeats() {
            assertEquals(List.of(7L, 8L, 9L), seeds(expand("task: probe\nseed: 10\nrepeats: 3\n", "seed=7")));
            assertEquals(List.of(7L), seeds(expand("task: probe\nseeds: [1, 2]\n", "seed=7")));
        }

        @Test
        void listParameterIsFixedWithDoubleBrackets() {
            SweepPlan plan = expand("task: probe\n", "levels=[[4,4]]");
            assertEquals(1, plan.trials().size());
            assertEquals(List.of(4L, 4L), plan.trials().get(0).params().get("levels"));
            assertEquals(List.of(), plan.varyingKeys());
        }

        @Test
        void valuesAreYamlScalars() {
            Parameters p = expand("task: probe\n", "x=1e-3", "flag=true", "mode=slow", "gadget=scaled",
                    "gadget.factor=5").trials().get(0).params();
            assertEquals(0.001, p.get("x"));
            assertEquals(true, p.get("flag"));
            assertEquals("slow", p.get("mode"));
            assertEquals(5.0, p.get("gadget.factor"));
        }

        @Test
        void timeoutOverride() {
            ExperimentSpec spec = CommandLineOverrides.apply(parse("task: probe\ntimeout: 10m\n"), List.of("timeout=90s"));
            assertEquals(Duration.ofSeconds(90), spec.trialTimeout());
            assertEquals(Duration.ofMinutes(10), parse("task: probe\ntimeout: 10m\n").trialTimeout());
        }

        @Test
        void overridesDoNotChangeTheParsedSpec() {
            ExperimentSpec spec = parse(SWEPT);
            CommandLineOverrides.apply(spec, List.of("x=3", "seeds=[1,2]"));
            assertEquals(List.of("x"), spec.grid().stream().map(SweepAxis::key).toList());
            assertEquals(List.of(0L), spec.seeding().seeds());
        }

        @Test
        void looksLikeOverride() {
            assertTrue(CommandLineOverrides.looksLikeOverride("gadget.factor=3"));
            assertTrue(CommandLineOverrides.looksLikeOverride("n=[1,2]"));
            assertFalse(CommandLineOverrides.looksLikeOverride("experiments/quick.yaml"));
            assertFalse(CommandLineOverrides.looksLikeOverride("=3"));
        }
    }

    @Test
    void expansionIsDeterministic() {
        String yaml = """
                task: probe
                sweep:
                  grid: {n: [3, 1, 2], gadget: [scaled, plain]}
                seeds: [2, 1]
                """;
        assertEquals(expand(yaml).trials(), expand(yaml).trials());
    }

    @Test
    void experimentNameDefaultsToTheGivenName() {
        assertEquals("exp", parse("task: probe\n").name());
        assertEquals("my-run_1.b", parse("name: my-run_1.b\ntask: probe\n").name());
    }
}
