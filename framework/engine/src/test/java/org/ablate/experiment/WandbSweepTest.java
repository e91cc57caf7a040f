package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ablate.config.ConfigException;
import org.ablate.config.Sourced;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A Weights & Biases sweep configuration as an experiment's {@code sweep:} section. */
class WandbSweepTest {

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private static ExperimentSpec parse(String yaml) {
        return ExperimentParser.parse(yaml, "exp.yaml", "exp");
    }

    private static SweepPlan expand(String yaml, String... overrides) {
        return new SweepExpander(registry).expand(CommandLineOverrides.apply(parse(yaml), List.of(overrides)));
    }

    private static List<String> ids(SweepPlan plan) {
        return plan.trials().stream().map(TrialSpec::id).toList();
    }

    /** The resolved values of {@code key} in each trial, in trial order. */
    private static List<Object> column(SweepPlan plan, String key) {
        return plan.trials().stream().map(t -> t.params().asMap().get(key)).toList();
    }

    /** The raw sampled values of one axis of a random sweep's zip group. */
    private static List<Object> sampled(ExperimentSpec spec, String key) {
        assertEquals(1, spec.zips().size());
        return spec.zips().get(0).stream().filter(a -> a.key().equals(key)).findFirst().orElseThrow()
                .values().stream().map(Sourced::value).toList();
    }

    @Nested
    class Grid {

        @Test
        void expandsExactlyAsTheEquivalentGridSection() {
            SweepPlan wandb = expand("""
                    task: probe
                    seeds: [0, 1]
                    sweep:
                      method: grid
                      parameters:
                        n: {values: [1, 2]}
                        mode: {values: [ok, fail]}
                        steps: {value: 4}
                        sleep_ms: {min: 0, max: 2}     # integers: int_uniform, enumerated
                    """);
            SweepPlan grid = expand("""
                    task: probe
                    seeds: [0, 1]
                    params: {steps: 4}
                    sweep:
                      grid:
                        n: [1, 2]
                        mode: [ok, fail]
                        sleep_ms: [0, 1, 2]
                    """);
            assertEquals(24, wandb.trials().size());
            assertEquals(ids(grid), ids(wandb));
            assertEquals(grid.trials().stream().map(TrialSpec::displayName).toList(),
                    wandb.trials().stream().map(TrialSpec::displayName).toList());
            assertEquals(grid.trials().stream().map(TrialSpec::params).toList(),
                    wandb.trials().stream().map(TrialSpec::params).toList());
            assertEquals(grid.varyingKeys(), wandb.varyingKeys());
            assertEquals(grid.configurations(), wandb.configurations());
        }

        @Test
        void nestedParametersBecomeDottedKeys() {
            SweepPlan wandb = expand("""
                    task: probe
                    params: {gadget: scaled}
                    sweep:
                      method: grid
                      parameters:
                        gadget:
                          parameters:
                            factor: {values: [0.5, 3]}
                    """);
            SweepPlan grid = expand("""
                    task: probe
                    params: {gadget: scaled}
                    sweep:
                      grid: {gadget.factor: [0.5, 3]}
                    """);
            assertEquals(ids(grid), ids(wandb));
            assertEquals(List.of(0.5, 3.0), column(wandb, "gadget.factor"));
        }

        @Test
        void deeperNestingAndFixedNestedValues() {
            ExperimentSpec spec = parse("""
                    task: probe
                    sweep:
                      method: grid
                      parameters:
                        outer:
                          parameters:
                            inner: {parameters: {deep: {values: [1, 2]}}}
                            other: {value: 7}
                        "a.b": {values: [x]}
                    """);
            assertEquals(List.of("outer.inner.deep", "a.b"), spec.grid().stream().map(SweepAxis::key).toList());
            assertEquals(Set.of("outer.other"), spec.params().keySet());
            assertEquals(7L, spec.params().get("outer.other").value());
            assertEquals("sweep.parameters.outer.parameters.other.value", spec.params().get("outer.other").origin().key());
            assertEquals(List.of(), spec.zips());
        }

        @Test
        void runCapCoveringTheWholeGridIsAccepted() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      method: grid
                      run_cap: 4
                      parameters: {n: {values: [1, 2]}, x: {values: [1, 2]}}
                    """);
            assertEquals(4, plan.trials().size());
        }

        @Test
        void describingKeysAreIgnored() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      name: my sweep
                      description: a W&B file used as is
                      program: train.py
                      command:
                        - ${env}
                        - python
                        - ${program}
                        - ${args}
                      project: proj
                      entity: team
                      early_terminate: {type: hyperband, min_iter: 3}
                      method: grid
                      parameters:
                        n: {values: [1, 2]}
                    """);
            assertEquals(List.of(1L, 2L), column(plan, "n"));
        }
    }

    @Nested
    class Random {

        private static final String SWEEP = """
                task: probe
                %s
                sweep:
                  method: random
                  run_cap: 60
                  parameters:
                    x: {min: 0.5, max: 2.5}                 # reals: uniform
                    n: {min: 1, max: 6}                     # integers: int_uniform
                    mode: {values: [ok, fail, slow]}
                    sleep_ms: {distribution: q_uniform, min: 0, max: 10, q: 2}
                    steps: {value: 9}
                """;

        @Test
        void samplesRunCapConfigurationsWithinTheirRanges() {
            ExperimentSpec spec = parse(SWEEP.formatted(""));
            assertEquals(List.of(), spec.grid());
            assertEquals(List.of("x", "n", "mode", "sleep_ms"), spec.zips().get(0).stream().map(SweepAxis::key).toList());
            assertEquals(9L, spec.params().get("steps").value());

            List<Object> x = sampled(spec, "x");
            assertEquals(60, x.size());
            for (Object v : x) {
                double d = assertInstanceOf(Double.class, v);
                assertTrue(d >= 0.5 && d <= 2.5, "x = " + d);
            }
            assertEquals(60, new LinkedHashSet<>(x).size(), "continuous draws do not repeat");
            Set<Object> n = new LinkedHashSet<>();
            for (Object v : sampled(spec, "n")) {
                long l = assertInstanceOf(Long.class, v);
                assertTrue(l >= 1 && l <= 6, "n = " + l);
                n.add(l);
            }
            assertEquals(6, n.size(), "60 draws reach each of 6 integers: " + n);
            assertEquals(Set.of("ok", "fail", "slow"), new LinkedHashSet<>(sampled(spec, "mode")));
            for (Object v : sampled(spec, "sleep_ms")) {
                long l = assertInstanceOf(Long.class, v); // q written as an integer gives integers, as W&B does
                assertTrue(l >= 0 && l <= 10 && l % 2 == 0, "sleep_ms = " + l);
            }

            SweepPlan plan = new SweepExpander(registry).expand(spec);
            assertEquals(60, plan.configurations());
            assertEquals(60, plan.trials().size());
            assertTrue(plan.trials().stream().allMatch(t -> t.params().getLong("steps") == 9));
            assertEquals(x.stream().map(v -> (Object) v).toList(), column(plan, "x"));
        }

        @Test
        void eachSampledConfigurationRunsWithEverySeed() {
            SweepPlan plan = expand(SWEEP.formatted("seeds: [3, 1, 4]"));
            assertEquals(60, plan.configurations());
            assertEquals(180, plan.trials().size());
            for (int i = 0; i < 60; i++) {
                List<TrialSpec> group = plan.trials().subList(3 * i, 3 * i + 3);
                assertEquals(List.of(3L, 1L, 4L), group.stream().map(TrialSpec::seed).toList());
                assertEquals(1, group.stream().map(TrialSpec::params).distinct().count());
            }
        }

        @Test
        void theSameFileSamplesTheSameConfigurations() {
            ExperimentSpec a = parse(SWEEP.formatted("seed: 5"));
            ExperimentSpec b = parse(SWEEP.formatted("seed: 5"));
            assertEquals(a.zips(), b.zips());
            assertEquals(ids(new SweepExpander(registry).expand(a)), ids(new SweepExpander(registry).expand(b)));
        }

        @Test
        void aDifferentSeedSamplesDifferentConfigurations() {
            ExperimentSpec zero = parse(SWEEP.formatted(""));
            ExperimentSpec explicitZero = parse(SWEEP.formatted("seed: 0"));
            ExperimentSpec one = parse(SWEEP.formatted("seed: 1"));
            assertEquals(sampled(zero, "x"), sampled(explicitZero, "x"), "seed defaults to 0");
            assertNotEquals(sampled(zero, "x"), sampled(one, "x"));
            assertNotEquals(sampled(zero, "n"), sampled(one, "n"));
        }

        @Test
        void samplingIsPinnedBitForBit() {
            // the stream is part of the file format: these values must never change (checked against
            // an independent SplitMix64 written in Python)
            ExperimentSpec spec = parse("""
                    task: probe
                    sweep:
                      method: random
                      run_cap: 3
                      parameters:
                        x: {min: 0.0, max: 1.0}
                        n: {min: 1, max: 1000}
                    """);
            assertEquals(PINNED_X, sampled(spec, "x"));
            assertEquals(PINNED_N, sampled(spec, "n"));
        }

        @Test
        void addingAParameterLeavesTheOthersDrawsAlone() {
            ExperimentSpec one = parse("""
                    task: probe
                    sweep: {method: random, run_cap: 5, parameters: {x: {min: 0.5, max: 2.5}}}
                    """);
            ExperimentSpec two = parse("""
                    task: probe
                    sweep: {method: random, run_cap: 5, parameters: {n: {min: 1, max: 9}, x: {min: 0.5, max: 2.5}}}
                    """);
            assertEquals(sampled(one, "x"), sampled(two, "x"));
        }

        @Test
        void logUniformValuesStayInRangeAndSpreadOverDecades() {
            ExperimentSpec spec = parse("""
                    task: probe
                    sweep:
                      method: random
                      run_cap: 300
                      parameters:
                        x: {distribution: log_uniform_values, min: 0.001, max: 10}
                        n: {distribution: q_log_uniform_values, min: 1, max: 1000, q: 1}
                    """);
            List<Object> x = sampled(spec, "x");
            int[] perDecade = new int[4];
            for (Object v : x) {
                double d = assertInstanceOf(Double.class, v);
                assertTrue(d >= 0.001 && d <= 10, "x = " + d);
                perDecade[(int) Math.min(3, Math.floor(Math.log10(d) + 3))]++;
            }
            for (int count : perDecade) {
                assertTrue(count > 40 && count < 110, "about 75 draws per decade: " + java.util.Arrays.toString(perDecade));
            }
            for (Object v : sampled(spec, "n")) {
                long l = assertInstanceOf(Long.class, v);
                assertTrue(l >= 1 && l <= 1000, "n = " + l);
            }
            assertEquals(300, new SweepExpander(registry).expand(spec).trials().size()); // no duplicates in x
        }

        @Test
        void normalAndLogNormalAreRealsAroundTheirMean() {
            ExperimentSpec spec = parse("""
                    task: probe
                    sweep:
                      method: random
                      run_cap: 400
                      parameters:
                        x: {distribution: normal, mu: 50, sigma: 5}
                        gadget.factor: {distribution: log_normal, mu: 0.5, sigma: 0.1}
                        sleep_ms: {distribution: q_uniform, min: 0, max: 3, q: 0.5}
                    """);
            double sum = 0;
            for (Object v : sampled(spec, "x")) {
                sum += assertInstanceOf(Double.class, v);
            }
            assertEquals(50, sum / 400, 1.0);
            double logSum = 0;
            for (Object v : sampled(spec, "gadget.factor")) {
                double d = assertInstanceOf(Double.class, v);
                assertTrue(d > 0);
                logSum += Math.log(d);
            }
            assertEquals(0.5, logSum / 400, 0.02);
            for (Object v : sampled(spec, "sleep_ms")) {
                double d = assertInstanceOf(Double.class, v); // a real q gives reals
                assertEquals(0, d % 0.5, 1e-12, "multiple of q: " + d);
                assertTrue(d >= 0 && d <= 3);
            }
        }

        @Test
        void probabilitiesWeighTheValues() {
            ExperimentSpec spec = parse("""
                    task: probe
                    sweep:
                      method: random
                      run_cap: 1000
                      parameters:
                        mode: {values: [ok, fail, slow], probabilities: [0.7, 0, 0.3]}
                        x: {min: 0, max: 100}
                    """);
            List<Object> mode = sampled(spec, "mode");
            long ok = mode.stream().filter("ok"::equals).count();
            assertEquals(0, mode.stream().filter("fail"::equals).count());
            assertTrue(ok > 650 && ok < 750, "about 700 'ok': " + ok);
        }

        @Test
        void coincidingSamplesAreRunOnce() {
            SweepPlan plan = expand("""
                    task: probe
                    sweep:
                      method: random
                      run_cap: 10
                      parameters:
                        mode: {values: [ok, fail]}
                    """);
            assertEquals(2, plan.configurations());
            assertEquals(8, plan.duplicatesDropped());
            assertEquals(Set.of("ok", "fail"), new LinkedHashSet<>(column(plan, "mode")));
        }

        @Test
        void onlyFixedValuesGiveOneConfiguration() {
            ExperimentSpec spec = parse("""
                    task: probe
                    sweep: {method: random, run_cap: 5, parameters: {n: {value: 3}}}
                    """);
            assertEquals(List.of(), spec.zips());
            SweepPlan plan = new SweepExpander(registry).expand(spec);
            assertEquals(List.of(3L), column(plan, "n"));
        }

        @Test
        void commandLineOverrideReplacesASampledParameter() {
            SweepPlan plan = expand(SWEEP.formatted(""), "x=7");
            // with x fixed, some of the 60 samples coincide and are run once
            assertEquals(60, plan.configurations() + plan.duplicatesDropped());
            assertTrue(plan.trials().stream().allMatch(t -> t.params().getDouble("x") == 7.0));
        }
    }

    static final List<Object> PINNED_X = List.of(0.8593290216644696, 0.46379240299754276, 0.3298504085844387);
    static final List<Object> PINNED_N = List.of(324L, 235L, 915L);

    @Nested
    class Metric {

        @Test
        void metricNameBecomesTheHeadline(@TempDir Path dir) throws Exception {
            Path file = Sweeps.write(dir, "wandb", """
                    task: probe
                    sweep:
                      method: grid
                      metric: {name: result, goal: maximize, target: 10}
                      parameters: {n: {values: [1, 2]}}
                    """);
            SweepPlan plan = Sweeps.plan(file);
            assertEquals("result", plan.experiment().headline());
            assertEquals(2, plan.trials().size());
        }

        @Test
        void anExplicitHeadlineWins() {
            assertEquals("noise", parse("""
                    task: probe
                    headline: noise
                    sweep:
                      method: grid
                      metric: {name: result}
                      parameters: {n: {values: [1, 2]}}
                    """).headline());
        }

        @Test
        void noMetricNoHeadline() {
            assertNull(parse("""
                    task: probe
                    sweep: {method: grid, parameters: {n: {values: [1, 2]}}}
                    """).headline());
        }
    }

    // ---- errors ------------------------------------------------------------------------------------

    private static Arguments bad(String location, String key, String yaml, String expected) {
        return Arguments.of(location, key, yaml, expected);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("exp.yaml:3", "sweep.method", """
                        task: probe
                        sweep:
                          method: bayes
                          parameters: {x: {values: [1]}}
                        """, "exp.yaml:3: sweep.method: 'bayes' is not supported: Bayesian search needs a live optimiser "
                        + "choosing each run from the results so far (accepted: grid, random)"),
                bad("exp.yaml:3", "sweep.method", """
                        task: probe
                        sweep:
                          method: randmo
                          parameters: {x: {values: [1]}}
                        """, "exp.yaml:3: sweep.method: unknown method 'randmo'; did you mean 'random'? "
                        + "(accepted: grid, random)"),
                bad("exp.yaml:2", "sweep.run_cap", """
                        task: probe
                        sweep:
                          method: random
                          parameters: {x: {min: 1, max: 2}}
                        """, "exp.yaml:2: sweep.run_cap: missing required key for random search: the number of "
                        + "configurations to sample (W&B's random search runs until stopped; Ablate needs a count)"),
                bad("exp.yaml:4", "sweep.run_cap", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 0
                          parameters: {x: {min: 1, max: 2}}
                        """, "exp.yaml:4: sweep.run_cap: run_cap must be in [1, 100000], got 0"),
                bad("exp.yaml:4", "sweep.run_cap", """
                        task: probe
                        sweep:
                          method: grid
                          run_cap: 3
                          parameters: {n: {values: [1, 2]}, x: {values: [1, 2]}}
                        """, "exp.yaml:4: sweep.run_cap: run_cap 3 is below the grid's 4 configurations: "
                        + "Ablate runs a grid in full (remove run_cap, or use method: random)"),
                bad("exp.yaml:5", "sweep.parameters.x", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {min: 0.5, max: 2.5}
                        """, "exp.yaml:5: sweep.parameters.x: grid search needs 'values' for this parameter: "
                        + "distribution 'uniform' cannot be enumerated (accepted: value, values, or an int_uniform min/max)"),
                bad("exp.yaml:5", "sweep.parameters.x", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {distribution: log_uniform_values, min: 1, max: 10}
                        """, "exp.yaml:5: sweep.parameters.x: grid search needs 'values' for this parameter: "
                        + "distribution 'log_uniform_values' cannot be enumerated "
                        + "(accepted: value, values, or an int_uniform min/max)"),
                bad("exp.yaml:5", "sweep.parameters.n", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            n: {min: 1, max: 10001}
                        """, "exp.yaml:5: sweep.parameters.n: grid search enumerates at most 10000 integers, "
                        + "and [1, 10001] holds more (give 'values' instead)"),
                bad("exp.yaml:4", "sweep.grid", """
                        task: probe
                        sweep:
                          method: grid
                          grid: {x: [1, 2]}
                          parameters: {n: {values: [1]}}
                        """, "exp.yaml:4: sweep.grid: cannot be mixed with a W&B sweep ('method' is given): "
                        + "write the swept values under 'parameters' instead"),
                bad("exp.yaml:3", "sweep.zip", """
                        task: probe
                        sweep:
                          zip: {x: [1, 2]}
                          method: random
                          run_cap: 2
                          parameters: {n: {values: [1]}}
                        """, "exp.yaml:3: sweep.zip: cannot be mixed with a W&B sweep ('method' is given): "
                        + "write the swept values under 'parameters' instead"),
                bad("exp.yaml:4", "sweep.run_caps", """
                        task: probe
                        sweep:
                          method: random
                          run_caps: 3
                          parameters: {n: {values: [1]}}
                        """, "exp.yaml:4: sweep.run_caps: unknown key; did you mean 'run_cap'? (accepted: method, "
                        + "parameters, metric, run_cap, name, description, program, command, project, entity, early_terminate)"),
                bad("exp.yaml:2", "sweep.parameters", """
                        task: probe
                        sweep:
                          method: grid
                        """, "exp.yaml:2: sweep.parameters: missing required key (the swept parameters: "
                        + "name: {value: x}, {values: [..]} or {min: a, max: b})"),
                bad("exp.yaml:4", "sweep.parameters", """
                        task: probe
                        sweep:
                          method: grid
                          parameters: {}
                        """, "exp.yaml:4: sweep.parameters: empty mapping: give at least one parameter"),
                bad("exp.yaml:5", "sweep.parameters.x", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: [1, 2]
                        """, "exp.yaml:5: sweep.parameters.x: a W&B parameter is a mapping ({value: x}, {values: [..]}, "
                        + "{min: a, max: b} or {parameters: {..}}), got a list"),
                bad("exp.yaml:6", "sweep.parameters.x.vlaues", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x:
                              vlaues: [1, 2]
                        """, "exp.yaml:6: sweep.parameters.x.vlaues: unknown key; did you mean 'values'? (accepted: "
                        + "value, values, probabilities, distribution, min, max, q, mu, sigma, parameters)"),
                bad("exp.yaml:5", "sweep.parameters.x.distribution", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {distribution: log_uniform, min: -3, max: 0}
                        """, "exp.yaml:5: sweep.parameters.x.distribution: distribution 'log_uniform' is not supported: "
                        + "write log_uniform_values, with min and max as values rather than exponents (accepted: int_uniform, uniform, log_uniform_values, "
                        + "q_uniform, q_log_uniform_values, normal, log_normal, categorical, constant)"),
                bad("exp.yaml:5", "sweep.parameters.x", """
                        task: probe
                        sweep:
                          method: random
                          parameters:
                            x: {mu: 1}
                          run_cap: 2
                        """, "exp.yaml:5: sweep.parameters.x: cannot tell the distribution: give 'value', 'values', "
                        + "or 'min' and 'max' (normal and log_normal need 'distribution')"),
                bad("exp.yaml:7", "sweep.parameters.x.min", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x:
                              min: 0
                              distribution: normal
                        """, "exp.yaml:7: sweep.parameters.x.min: does not apply to distribution 'normal' "
                        + "(accepted: distribution, mu, sigma)"),
                bad("exp.yaml:5", "sweep.parameters.x.values", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {value: 1, values: [1, 2]}
                        """, "exp.yaml:5: sweep.parameters.x.values: does not apply to distribution 'constant', "
                        + "which 'value' implies (accepted: distribution, value)"),
                bad("exp.yaml:5", "sweep.parameters.x", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {distribution: constant}
                        """, "exp.yaml:5: sweep.parameters.x: distribution 'constant' needs 'value'"),
                bad("exp.yaml:6", "sweep.parameters.x", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x: {min: 0.5}
                        """, "exp.yaml:6: sweep.parameters.x: distribution 'uniform' needs 'min' and 'max'"),
                bad("exp.yaml:6", "sweep.parameters.n.max", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            n: {distribution: int_uniform, min: 1, max: 5.5}
                        """, "exp.yaml:6: sweep.parameters.n.max: int_uniform needs integer bounds, got 5.5"),
                bad("exp.yaml:6", "sweep.parameters.x.max", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x: {min: 3.5, max: 1}
                        """, "exp.yaml:6: sweep.parameters.x.max: max 1 is below min 3.5"),
                bad("exp.yaml:6", "sweep.parameters.x.min", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x: {distribution: log_uniform_values, min: 0, max: 1}
                        """, "exp.yaml:6: sweep.parameters.x.min: log_uniform_values needs min > 0, got 0"),
                bad("exp.yaml:6", "sweep.parameters.x.q", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x: {distribution: q_uniform, min: 0, max: 1, q: 0}
                        """, "exp.yaml:6: sweep.parameters.x.q: q must be above 0, got 0"),
                bad("exp.yaml:6", "sweep.parameters.x.sigma", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x: {distribution: normal, sigma: -1}
                        """, "exp.yaml:6: sweep.parameters.x.sigma: sigma must be at least 0, got -1"),
                bad("exp.yaml:6", "sweep.parameters.x.mu", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            x: {distribution: normal, mu: abc}
                        """, "exp.yaml:6: sweep.parameters.x.mu: expected a finite number, got 'abc'"),
                bad("exp.yaml:5", "sweep.parameters.x.values", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {values: []}
                        """, "exp.yaml:5: sweep.parameters.x.values: empty list: a swept parameter needs at least one value"),
                bad("exp.yaml:6", "sweep.parameters.mode.probabilities", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            mode: {values: [ok, fail], probabilities: [1]}
                        """, "exp.yaml:6: sweep.parameters.mode.probabilities: 1 probabilities for 2 values "
                        + "(give one per value)"),
                bad("exp.yaml:6", "sweep.parameters.mode.probabilities", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            mode: {values: [ok, fail], probabilities: [0.5, 0.25]}
                        """, "exp.yaml:6: sweep.parameters.mode.probabilities: probabilities must sum to 1, got 0.75"),
                bad("exp.yaml:6", "sweep.parameters.mode.probabilities[0]", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            mode: {values: [ok, fail], probabilities: [-0.5, 1.5]}
                        """, "exp.yaml:6: sweep.parameters.mode.probabilities[0]: expected a probability in [0, 1], got -0.5"),
                bad("exp.yaml:5", "sweep.parameters.x.value", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            x: {parameters: {y: {value: 1}}, value: 2}
                        """, "exp.yaml:5: sweep.parameters.x.value: a parameter with nested 'parameters' takes no other key"),
                bad("exp.yaml:8", "sweep.parameters.gadget.parameters.factor", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            gadget.factor: {values: [1, 2]}
                            gadget:
                              parameters:
                                factor: {values: [3]}
                        """, "exp.yaml:8: sweep.parameters.gadget.parameters.factor: 'gadget.factor' is written twice "
                        + "(also at exp.yaml:5, as a dotted or a nested key)"),
                bad("exp.yaml:6", "sweep.parameters.n.value", """
                        task: probe
                        params: {n: 2}
                        sweep:
                          method: grid
                          parameters:
                            n: {value: 3}
                        """, "exp.yaml:6: sweep.parameters.n.value: both under 'params' (at exp.yaml:2) and in the sweep; "
                        + "keep one"),
                bad("exp.yaml:7", "sweep.parameters.n", """
                        task: probe
                        params: {n: 2}
                        sweep:
                          method: random
                          run_cap: 2
                          parameters:
                            n: {min: 1, max: 5}
                        """, "exp.yaml:7: sweep.parameters.n: both fixed (at exp.yaml:2) and swept; keep one"),
                bad("exp.yaml:4", "sweep.metric.goal", """
                        task: probe
                        sweep:
                          method: grid
                          metric: {name: result, goal: maximise}
                          parameters: {n: {values: [1]}}
                        """, "exp.yaml:4: sweep.metric.goal: unknown goal 'maximise'; did you mean 'maximize'? "
                        + "(accepted: minimize, maximize)"),
                bad("exp.yaml:4", "sweep.metric.name", """
                        task: probe
                        sweep:
                          method: grid
                          metric: {goal: minimize}
                          parameters: {n: {values: [1]}}
                        """, "exp.yaml:4: sweep.metric.name: missing required key (the metric the sweep optimises)"),
                bad("exp.yaml:4", "sweep.metric.impute", """
                        task: probe
                        sweep:
                          method: grid
                          metric: {name: result, impute: worst}
                          parameters: {n: {values: [1]}}
                        """, "exp.yaml:4: sweep.metric.impute: unknown key (accepted: name, goal, target)"),
                bad("exp.yaml:5", "sweep.parameters.xx.values", """
                        task: probe
                        sweep:
                          method: grid
                          parameters:
                            xx: {values: [1, 2]}
                        """, "exp.yaml:5: sweep.parameters.xx.values: unknown parameter of task 'probe'; did you mean 'x'? "
                        + "(accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)"),
                bad("exp.yaml:6", "sweep.parameters.xx", """
                        task: probe
                        sweep:
                          method: random
                          run_cap: 3
                          parameters:
                            xx: {min: 1, max: 2}
                        """, "exp.yaml:6: sweep.parameters.xx: unknown parameter of task 'probe'; did you mean 'x'? "
                        + "(accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)"));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("badInputs")
    void rejectedWithOneLineMessageNamingLocationAndKey(String location, String key, String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> new SweepExpander(registry).expand(parse(yaml)));
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNotNull(e.origin(), "a message about a key carries its origin");
        assertEquals(e.origin() + ": " + e.problem(), e.getMessage());
        assertEquals(location, e.origin().location());
        assertEquals(key, e.origin().key());
    }

    @Test
    void sampledValueOutOfTheSchemaRangeNamesTheParameter() {
        ConfigException e = assertThrows(ConfigException.class, () -> expand("""
                task: probe
                sweep:
                  method: random
                  run_cap: 5
                  parameters:
                    x: {min: 200, max: 300}
                """));
        assertTrue(e.getMessage().startsWith("exp.yaml:6: sweep.parameters.x: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" is out of range (accepted: real in [0, 100])"), e.getMessage());
    }

    @Test
    void aSweepWithoutMethodIsStillGridAndZip() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                task: probe
                sweep: {parameters: {x: {values: [1]}}}
                """));
        assertEquals("exp.yaml:2: sweep.parameters: unknown key (accepted: grid, zip)", e.getMessage());
    }

    @Test
    void samplesAreCollectedInOneZipGroup() {
        ExperimentSpec spec = parse("""
                task: probe
                sweep: {method: random, run_cap: 4, parameters: {x: {min: 0, max: 1}, n: {values: [1, 2]}}}
                """);
        assertEquals(1, spec.zips().size());
        List<Integer> sizes = new ArrayList<>();
        spec.zips().get(0).forEach(a -> sizes.add(a.values().size()));
        assertEquals(List.of(4, 4), sizes);
        assertEquals(Map.of(), spec.params());
    }
}
