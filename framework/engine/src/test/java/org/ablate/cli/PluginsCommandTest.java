package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;

/** {@code ablate plugins}: within the terminal's width, filtered by name, with the metrics a task declares. */
class PluginsCommandTest {

    private static String collapsed(String s) {
        return s.replaceAll("\\s+", " ");
    }

    @Test
    void everyLineFitsTheWidthAndNoTextIsLost() {
        InProcessCli.Result wide = InProcessCli.run("plugins", "--width", "400");
        for (int width : new int[] {80, 60}) {
            InProcessCli.Result r = InProcessCli.run("plugins", "--width", Integer.toString(width));
            assertEquals(0, r.code(), r.err());
            for (String line : r.out().split("\n")) {
                assertTrue(line.length() <= width, width + ": " + line.length() + " characters: " + line);
            }
            // the same words in the same order as the unwrapped listing, headers aside
            for (String text : List.of("ok: compute; fail: throw; slow: sleep per step, honouring cancellation; hang: ignore it.",
                    "A controllable task for framework tests.", "one of ok, fail, slow, hang", "with elements in [2, 16]")) {
                assertTrue(collapsed(wide.out()).contains(text), text);
                assertTrue(collapsed(r.out()).contains(text), width + ": " + text + "\n" + r.out());
            }
        }
        // wide enough: one line a parameter, as before
        assertTrue(wide.out().matches("(?s).*\\n\\s+mode\\s+string\\s+ok\\s+one of ok, fail, slow, hang\\s+ok: compute; fail: "
                + "throw; slow: sleep per step, honouring cancellation; hang: ignore it\\.\\n.*"), wide.out());
        assertEquals(80, PluginsCommand.width(null), "not a terminal and no $COLUMNS: 80");
        assertEquals(80, PluginsCommand.width("abc"));
        assertEquals(80, PluginsCommand.width("3"), "a width no table fits in is ignored");
        assertEquals(132, PluginsCommand.width("132"));
    }

    @Test
    void aTaskShowsTheMetricsItDeclares() {
        String out = InProcessCli.run("plugins", "--width", "80").out();
        assertTrue(out.contains("\n      summary metrics: result, noise\n      step metrics: train/value\n"), out);
        assertTrue(out.contains("  needs-label — A task with a required parameter.\n"), out);
        assertTrue(out.contains("      metrics: not declared (plots and claims are checked against the results\n"
                + "               after the run)\n"), out);
        assertTrue(out.contains("\n      summary metrics: points\n      step metrics: noop/value\n"), out);
    }

    @Test
    void aFilterShowsTheMatchingKindOrComponentAndNothingElse() {
        InProcessCli.Result kind = InProcessCli.run("plugins", "gadget");
        assertEquals(0, kind.code(), kind.err());
        assertTrue(kind.out().startsWith("Gadgets:\n  plain — Scale 1.\n"), kind.out());
        assertTrue(kind.out().contains("  scaled — Scale by a factor.\n"), kind.out());
        assertFalse(kind.out().contains("Tasks:") || kind.out().contains("Plugins:"), kind.out());

        InProcessCli.Result name = InProcessCli.run("plugins", "PROBE");
        assertEquals(0, name.code(), name.err());
        assertTrue(name.out().startsWith("Tasks:\n  probe — A controllable task for framework tests.\n"), name.out());
        assertFalse(name.out().contains("needs-label") || name.out().contains("Gadgets:"), name.out());

        InProcessCli.Result plugin = InProcessCli.run("plugins", "testing");
        assertTrue(plugin.out().contains("  probe — ") && plugin.out().contains("  scaled — ") && !plugin.out().contains("  noop — "),
                plugin.out());
    }

    @Test
    void aFilterThatMatchesNothingIsOneLineAndExit2() {
        InProcessCli.Result r = InProcessCli.run("plugins", "gadet");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals("ablate: error: plugins gadet: no component kind, component or plugin matches 'gadet'; did you mean "
                + "'gadget'? (kinds: benchmark, gadget, launcher, sweeper, task)\n", r.err());
    }

    @Test
    void wrappingKeepsEveryWordAndCutsOnlyWhatCannotFit() {
        assertEquals(List.of("a path", "/very/long/", "name"), TextTable.wrap("a path /very/long/name", 11));
        assertEquals(List.of("one of ok,", "fail"), TextTable.wrap("one of ok, fail", 10));
        assertEquals(List.of(""), TextTable.wrap("", 10));
        for (String line : TextTable.wrap("x".repeat(25) + " tail", 10)) {
            assertTrue(line.length() <= 10, line);
        }
    }
}
