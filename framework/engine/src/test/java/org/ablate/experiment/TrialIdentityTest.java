package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A trial's id must depend on what it computes (task, typed parameters, seed) and nothing else. */
class TrialIdentityTest {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");

    /** One fixed configuration and its id, pinned: a change here re-runs every stored trial. */
    private static final String GOLDEN_YAML = """
            task: probe
            seed: 7
            params:
              x: 0.25
              n: 7
              gadget: scaled
              gadget.factor: 3
              levels: [4, 2]
            """;
    private static final String GOLDEN_JSON = "{\"params\":{\"flag\":false,\"gadget\":\"scaled\",\"gadget.factor\":3.0,"
            + "\"levels\":[4,2],\"mode\":\"ok\",\"n\":7,\"sleep_ms\":0,\"steps\":3,\"x\":0.25},\"seed\":7,\"task\":\"probe\"}";
    private static final String GOLDEN_ID = "9c48533b77c9";

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private static SweepPlan expand(String yaml, String... overrides) {
        ExperimentSpec spec = CommandLineOverrides.apply(ExperimentParser.parse(yaml, "exp.yaml", "exp"), List.of(overrides));
        return new SweepExpander(registry).expand(spec);
    }

    private static String onlyId(String yaml, String... overrides) {
        SweepPlan plan = expand(yaml, overrides);
        assertEquals(1, plan.trials().size(), "expected one trial");
        return plan.trials().get(0).id();
    }

    private static List<String> ids(SweepPlan plan) {
        return plan.trials().stream().map(TrialSpec::id).toList();
    }

    private static String sha256Prefix(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }

    @Test
    void goldenIdOfAFixedConfiguration() throws Exception {
        TrialSpec trial = expand(GOLDEN_YAML).trials().get(0);
        assertEquals(GOLDEN_JSON, TrialIdentity.canonicalJson(trial.task(), trial.params(), trial.seed()));
        assertEquals(GOLDEN_ID, sha256Prefix(GOLDEN_JSON));
        assertEquals(GOLDEN_ID, trial.id());
        assertEquals(GOLDEN_ID, TrialIdentity.id("probe", trial.params(), 7));
    }

    @Test
    void goldenIdOfTheDefaultConfiguration() throws Exception {
        String json = "{\"params\":{\"flag\":false,\"gadget\":\"plain\",\"levels\":[8,5],\"mode\":\"ok\",\"n\":10,"
                + "\"sleep_ms\":0,\"steps\":3,\"x\":1.0},\"seed\":0,\"task\":\"probe\"}";
        TrialSpec trial = expand("task: probe\n").trials().get(0);
        assertEquals(json, TrialIdentity.canonicalJson("probe", trial.params(), 0));
        assertEquals(sha256Prefix(json), trial.id());
        assertEquals("4ecc39198850", trial.id());
    }

    @Test
    void canonicalJsonSortsKeysWhateverTheMapOrder() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("b", 2L);
        forward.put("a.z", List.of(1.5, 2.0));
        forward.put("a", "s");
        forward.put("c", true);
        Map<String, Object> backward = new LinkedHashMap<>();
        for (String k : List.of("c", "a", "a.z", "b")) {
            backward.put(k, forward.get(k));
        }
        String expected = "{\"params\":{\"a\":\"s\",\"a.z\":[1.5,2.0],\"b\":2,\"c\":true},\"seed\":-3,\"task\":\"t\"}";
        assertEquals(expected, TrialIdentity.canonicalJson("t", new Parameters(forward), -3));
        assertEquals(expected, TrialIdentity.canonicalJson("t", new Parameters(backward), -3));
        assertEquals(TrialIdentity.id("t", new Parameters(forward), -3), TrialIdentity.id("t", new Parameters(backward), -3));
    }

    @Test
    void idIsTwelveLowercaseHexDigitsOfSha256OverCanonicalJson() throws Exception {
        SweepPlan plan = expand("""
                task: probe
                sweep:
                  grid: {gadget: [plain, scaled], mode: [ok, hang], x: [0, 99.5]}
                seeds: [0, -1, 9223372036854775807]
                """);
        assertEquals(24, plan.trials().size());
        for (TrialSpec t : plan.trials()) {
            assertTrue(ID.matcher(t.id()).matches(), t.id());
            assertEquals(sha256Prefix(TrialIdentity.canonicalJson(t.task(), t.params(), t.seed())), t.id());
        }
        assertEquals(24, plan.trials().stream().map(TrialSpec::id).distinct().count());
    }

    @Test
    void stableAcrossRepeatedExpansionAndFreshRegistries() {
        String yaml = """
                task: probe
                sweep:
                  grid: {n: [1, 2], gadget: [plain, scaled]}
                repeats: 2
                """;
        List<String> first = ids(expand(yaml));
        assertEquals(first, ids(expand(yaml)));
        ExperimentSpec spec = ExperimentParser.parse(yaml, "elsewhere/other-name.yaml", "other-name");
        assertEquals(first, ids(new SweepExpander(PluginRuntime.start().registry()).expand(spec)));
    }

    @Test
    void independentOfExperimentNameDescriptionAndTimeout() {
        assertEquals(onlyId("task: probe\nparams: {n: 5}\n"), onlyId("""
                name: renamed
                description: same computation, different bookkeeping
                timeout: 5m
                headline: result
                task: probe
                params: {n: 5}
                """));
    }

    @Test
    void independentOfTheOrderParametersAreWritten() {
        String a = onlyId("""
                task: probe
                params:
                  x: 2.5
                  n: 3
                  mode: slow
                  flag: true
                """);
        String b = onlyId("""
                params:
                  flag: true
                  mode: slow
                  n: 3
                  x: 2.5
                task: probe
                """);
        assertEquals(a, b);
    }

    @Test
    void independentOfWhetherAValueIsFixedSweptOrOverridden() {
        String fixed = onlyId("task: probe\nparams: {n: 3, x: 2.5}\n");
        assertEquals(fixed, onlyId("task: probe\nsweep: {grid: {n: [3], x: [2.5]}}\n"));
        assertEquals(fixed, onlyId("task: probe\nsweep: {zip: {x: [2.5], n: [3]}}\n"));
        assertEquals(fixed, onlyId("task: probe\nparams: {n: 9}\n", "x=2.5", "n=3"));
        assertEquals(fixed, onlyId("""
                task: probe
                params: {n: 9}
                overrides:
                  - when: {n: 9}
                    set: {n: 3, x: 2.5}
                """));
    }

    @Test
    void nestedMappingAndDottedKeyGiveTheSameId() {
        String dotted = onlyId("""
                task: probe
                params:
                  gadget.factor: 4
                sweep:
                  grid: {gadget: [scaled]}
                """);
        String nested = onlyId("""
                task: probe
                params:
                  gadget:
                    factor: 4
                sweep:
                  grid: {gadget: [scaled]}
                """);
        String viaCommandLine = onlyId("task: probe\n", "gadget=scaled", "gadget.factor=4");
        assertEquals(dotted, nested);
        assertEquals(dotted, viaCommandLine);
    }

    @Test
    void aRealWrittenAsIntegerExponentOrDecimalHashesAlike() {
        String integer = onlyId("task: probe\nparams: {x: 100}\n");
        assertEquals(integer, onlyId("task: probe\nparams: {x: 1e2}\n"));
        assertEquals(integer, onlyId("task: probe\nparams: {x: 100.0}\n"));
        assertEquals(integer, onlyId("task: probe\nparams: {x: 1.0E+2}\n"));
        assertEquals(integer, onlyId("task: probe\n", "x=1e2"));
        assertEquals(onlyId("task: probe\nparams: {gadget: scaled, gadget.factor: 10}\n"),
                onlyId("task: probe\nparams: {gadget: scaled, gadget.factor: 1e1}\n"));
    }

    @Test
    void anIntegerWrittenAsExponentOrDecimalHashesAlike() {
        String integer = onlyId("task: probe\nparams: {n: 1000}\n");
        assertEquals(integer, onlyId("task: probe\nparams: {n: 1e3}\n"));
        assertEquals(integer, onlyId("task: probe\nparams: {n: 1000.0}\n"));
    }

    @Test
    void writingOutADefaultDoesNotChangeTheId() {
        assertEquals(onlyId("task: probe\n"), onlyId("""
                task: probe
                params:
                  x: 1.0
                  n: 10
                  mode: ok
                  steps: 3
                  sleep_ms: 0
                  flag: false
                  levels: [8, 5]
                  gadget: plain
                """));
        assertEquals(onlyId("task: probe\nparams: {gadget: scaled}\n"),
                onlyId("task: probe\nparams: {gadget: scaled, gadget.factor: 2}\n"));
    }

    @Test
    void differentSeedGivesDifferentId() {
        String base = onlyId("task: probe\n");
        assertNotEquals(base, onlyId("task: probe\nseed: 1\n"));
        assertEquals(base, onlyId("task: probe\nseeds: [0]\n"));
        Parameters p = expand("task: probe\n").trials().get(0).params();
        assertNotEquals(TrialIdentity.id("probe", p, 1), TrialIdentity.id("probe", p, -1));
    }

    @Test
    void differentValueGivesDifferentId() {
        String base = onlyId("task: probe\n");
        assertNotEquals(base, onlyId("task: probe\nparams: {x: 1.5}\n"));
        assertNotEquals(base, onlyId("task: probe\nparams: {n: 11}\n"));
        assertNotEquals(base, onlyId("task: probe\nparams: {flag: true}\n"));
        assertNotEquals(base, onlyId("task: probe\nparams: {levels: [5, 8]}\n"));
        assertNotEquals(base, onlyId("task: probe\nparams: {gadget: scaled}\n"));
        assertNotEquals(onlyId("task: probe\nparams: {gadget: scaled}\n"),
                onlyId("task: probe\nparams: {gadget: scaled, gadget.factor: 2.5}\n"));
    }

    @Test
    void differentTaskGivesDifferentId() {
        Parameters p = new Parameters(Map.of("label", "a"));
        assertNotEquals(TrialIdentity.id("needs-label", p, 0), TrialIdentity.id("needs-label2", p, 0));
        assertEquals(TrialIdentity.id("needs-label", p, 0),
                onlyId("task: needs-label\nparams: {label: a}\n"));
    }
}
