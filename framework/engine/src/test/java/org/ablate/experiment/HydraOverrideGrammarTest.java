package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hydra's basic-sweeper forms on the command line, through the real override parser and the
 * expander (typed by the probe task's schema): a,b, choice(), range(), glob(); quoting keeps a
 * comma inside one value; +key / ~key are refused with what to write instead.
 */
class HydraOverrideGrammarTest {

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private static SweepPlan expand(String yaml, String... overrides) {
        ExperimentSpec spec = CommandLineOverrides.apply(ExperimentParser.parse(yaml, "exp.yaml", "exp"), List.of(overrides));
        return new SweepExpander(registry).expand(spec);
    }

    private static List<Object> values(SweepPlan plan, String key) {
        List<Object> out = new ArrayList<>();
        plan.trials().forEach(t -> out.add(t.params().asMap().get(key)));
        return out;
    }

    private static String refusal(String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> expand("task: probe\n", overrides));
        return e.getMessage();
    }

    @Test
    void commaSeparatedValuesSweepTypedByTheSchema() {
        assertEquals(List.of("ok", "slow"), values(expand("task: probe\n", "mode=ok,slow"), "mode"));
        assertEquals(List.of(1L, 2L, 5L), values(expand("task: probe\n", "n=1,2,5"), "n"));
        assertEquals(List.of(0.5, 2.0), values(expand("task: probe\n", "x=0.5,2"), "x"));
    }

    @Test
    void choiceIsTheSameSweep() {
        assertEquals(List.of("ok", "hang"), values(expand("task: probe\n", "mode=choice(ok,hang)"), "mode"));
        assertEquals(List.of(3L, 4L), values(expand("task: probe\n", "n=choice(3, 4)"), "n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "n=range(1,5)            | [1, 2, 3, 4]",
        "steps=range(1000,5000,1000) | [1000, 2000, 3000, 4000]",
        "n=range(1,10,3)         | [1, 4, 7]",
        "n=range(5,1,-2)         | [5, 3]",
        "n=range(start=2,stop=4) | [2, 3]",
        "x=range(0,1,0.25)       | [0.0, 0.25, 0.5, 0.75]",
        "x=range(0,0.3,0.1)      | [0.0, 0.1, 0.2]",
    })
    void rangeExcludesStopLikeHydra(String override, String expected) {
        assertEquals(expected, values(expand("task: probe\n", override), override.substring(0, override.indexOf('='))).toString());
    }

    @Test
    void globSelectsAmongAChoiceParametersAcceptedValuesInSchemaOrder() {
        assertEquals(List.of("ok", "fail", "slow", "hang"), values(expand("task: probe\n", "mode=glob(*)"), "mode"));
        assertEquals(List.of("ok", "slow"), values(expand("task: probe\n", "mode=glob(*,exclude=[fail,hang])"), "mode"));
        assertEquals(List.of("slow", "hang"), values(expand("task: probe\n", "mode=glob([s*,h*])"), "mode"));
        assertEquals(List.of("ok", "slow"), values(expand("task: probe\n", "mode=glob(include=[*o*],exclude=f*)"), "mode"));
    }

    @Test
    void globOverAComponentParameterSelectsRegisteredNames() {
        assertEquals(List.of("plain", "scaled"), values(expand("task: probe\n", "gadget=glob(*)"), "gadget"));
    }

    @Test
    void globOnAParameterWithoutAFixedSetOfValuesIsRefused() {
        assertEquals("command line 'n=glob(*)': n: glob selects among a parameter's accepted values, and task 'probe'"
                + " accepts any integer in [1, 1000] for 'n' (accepted: glob over a choice or component parameter;"
                + " a,b or range(...) for others)", refusal("n=glob(*)"));
        assertEquals("command line 'mode=glob(z*)': mode: glob(z*) matches none of the accepted values"
                + " (accepted: ok, fail, slow, hang)", refusal("mode=glob(z*)"));
    }

    @Test
    void quotingKeepsACommaInsideOneValue() {
        assertEquals(List.of("a,b"), values(expand("task: needs-label\n", "label='a,b'"), "label"));
        assertEquals(List.of("a,b"), values(expand("task: needs-label\n", "label=\"a,b\""), "label"));
        assertEquals(List.of("a", "b"), values(expand("task: needs-label\n", "label=a,b"), "label"));
        assertEquals(List.of("x,y", "z"), values(expand("task: needs-label\n", "label='x,y',z"), "label"));
    }

    @Test
    void bracketListsStayAsTheyWere() {
        assertEquals(List.of(3L, 4L), values(expand("task: probe\n", "n=[3,4]"), "n"));
        assertEquals(List.of(List.of(8L, 8L, 5L)), values(expand("task: probe\n", "levels=[[8,8,5]]"), "levels"));
        // Hydra: a sweep of two lists
        assertEquals(List.of(List.of(8L, 5L), List.of(4L, 4L)), values(expand("task: probe\n", "levels=[8,5],[4,4]"), "levels"));
    }

    @Test
    void seedsTakeACommaSweepButSingleRunSettingsRefuseOne() {
        SweepPlan plan = expand("task: probe\n", "seeds=3,4");
        assertEquals(List.of(3L, 4L), plan.trials().stream().map(TrialSpec::seed).toList());
        assertEquals("command line 'seed=1,2': seed: seed takes one value, not a sweep"
                + " (accepted: seeds=0,1,2 or seeds=[0,1,2] for several seeds)", refusal("seed=1,2"));
    }

    @Test
    void hydraAddAndDeleteFormsSayWhatAblateDoesInstead() {
        String tail = " has no use in Ablate: every parameter a schema declares already exists with its default"
                + " (accepted: key=value to set it, key=a,b or key=[a,b] to sweep it; leave a key out to keep its default)";
        assertEquals("command line '+n=3': Hydra's '+key=value' (add a key)" + tail, refusal("+n=3"));
        assertEquals("command line '++n=3': Hydra's '++key=value' (add or override a key)" + tail, refusal("++n=3"));
        assertEquals("command line '~n': Hydra's '~key' (delete a key)" + tail, refusal("~n"));
        assertEquals("command line '~n=3': Hydra's '~key' (delete a key)" + tail, refusal("~n=3"));
    }

    @Test
    void malformedSweepsAreRefusedWithTheForm() {
        assertEquals("command line 'n=1,': n: empty element in a sweep (accepted: values separated by single commas,"
                + " e.g. a,b; quote a value that contains a comma: 'a,b')", refusal("n=1,"));
        assertEquals("command line 'n=range(5,1)': n: range(5, 1, 1) is empty: stop is excluded"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range(5,1)"));
        assertEquals("command line 'n=range(1,5,0)': n: range step must not be 0"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range(1,5,0)"));
        assertEquals("command line 'n=range(a,5)': n: range bound 'a' is not a finite number"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range(a,5)"));
        assertEquals("command line 'n=range(0,1000000000)': n: range gives 1000000000 values, more than 100000"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range(0,1000000000)"));
        assertEquals("command line 'x=interval(0,1)': x: Hydra's interval() is not supported here (accepted: a,b or"
                + " choice(a,b) or range(start,stop[,step]) or glob(pattern) to sweep, [a,b] for a list)", refusal("x=interval(0,1)"));
    }

    @Test
    void emptyAndMalformedFunctionArgumentsAreRefusedNotCrashed() {
        assertEquals("command line 'n=range()': n: range needs a start and a stop"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range()"));
        assertEquals("command line 'n=range(1,2,3,4)': n: unexpected argument '4'"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range(1,2,3,4)"));
        assertEquals("command line 'n=range(stop=3,1)': n: unexpected argument '1'"
                + " (accepted: range(start, stop[, step]): stop excluded, integers or floats)", refusal("n=range(stop=3,1)"));
        assertEquals("command line 'mode=choice()': mode: choice() needs at least one value (accepted: choice(a,b), or a,b)",
                refusal("mode=choice()"));
        assertEquals("command line 'mode=glob()': mode: glob needs a pattern (accepted: glob(pattern),"
                + " glob([p1,p2], exclude=pattern) over a choice or component parameter)", refusal("mode=glob()"));
        assertEquals("command line 'mode=glob(*,foo=1)': mode: unknown argument 'foo' (accepted: glob(pattern),"
                + " glob([p1,p2], exclude=pattern) over a choice or component parameter)", refusal("mode=glob(*,foo=1)"));
        assertEquals("command line 'mode=glob([)': mode: glob pattern '[' is malformed: missing ']"
                + " (accepted: *, foo*, *bar, ?x, [abc]x, {a,b}*)", refusal("mode=glob([)"));
        assertEquals("command line 'timeout=1s,2s': timeout: timeout takes one value, not a sweep"
                + " (accepted: one duration, e.g. timeout=10m)", refusal("timeout=1s,2s"));
    }

    @Test
    void sweptValuesAreStillCheckedAgainstTheSchema() {
        assertEquals("command line 'mode=ok,slo': mode: 'slo' is not accepted; did you mean 'slow'?"
                + " (accepted: one of ok, fail, slow, hang)", refusal("mode=ok,slo"));
        assertEquals("command line 'n=range(999,1002)': n: 1001 is out of range (accepted: integer in [1, 1000])",
                refusal("n=range(999,1002)"));
    }
}
