package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ablate.testing.InProcessCli;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.ComponentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweep dialects are plugins: the test plugin's {@code listed} sweeper reads a section of its own,
 * next to the built-in grid and W&amp;B ones, without the parser naming it. Failed before: the
 * parser knew grid/zip and W&amp;B only, and refused 'configurations' as an unknown key.
 */
class PluginSweeperTest {

    private static final String LISTED = """
            task: probe
            sweep:
              configurations:
                - {x: 1, mode: ok}
                - {x: 3, mode: slow}
            seeds: [0, 1]
            """;

    @Test
    void aPluginsSweeperReadsItsDialectIntoTheConfigurationsRun() {
        ComponentRegistry registry = PluginRuntime.start().registry();
        assertEquals(List.of("grid", "listed", "wandb"), registry.names(org.ablate.spi.sweep.Sweeper.class).stream().sorted().toList());
        ExperimentSpec spec = ExperimentParser.parse(LISTED, "e.yaml", "e", () -> registry);
        SweepPlan plan = new SweepExpander(registry).expand(spec);
        assertEquals(2, plan.configurations());
        assertEquals(4, plan.trials().size());
        assertEquals(List.of("x", "mode"), plan.varyingKeys());
        assertEquals(List.of(1.0, 3.0), plan.trials().stream().filter(t -> t.seed() == 0)
                .map(t -> ((Number) t.varying().get("x")).doubleValue()).toList());
    }

    @Test
    void itsErrorsAreLocatedAtTheLineTheyAreAbout() {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentParser.parse("""
                task: probe
                sweep:
                  configurations:
                    - {x: 1, mode: ok}
                    - 7
                """, "e.yaml", "e"));
        assertEquals("e.yaml:5: sweep.configurations[1]: expected a configuration (a mapping)", e.getMessage());
        ConfigException value = assertThrows(ConfigException.class, () -> new SweepExpander(PluginRuntime.start().registry())
                .expand(ExperimentParser.parse(LISTED.replace("mode: slow", "mode: sloow"), "e.yaml", "e")));
        assertTrue(value.getMessage().startsWith("e.yaml:3: sweep.configurations: "), value.getMessage());
    }

    @Test
    void aRunUsesItAndListsItAmongThePlugins(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("listed.yaml");
        Files.writeString(file, LISTED);
        InProcessCli.Result dry = InProcessCli.run("run", file.toString(), "--dry-run", "--results-dir", tmp.resolve("r").toString());
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().startsWith("experiment listed: task probe, 4 trial(s) = 2 configuration(s) x 2 seed(s)"), dry.out());
        InProcessCli.Result plugins = InProcessCli.run("plugins", "sweeper");
        assertEquals(0, plugins.code(), plugins.err());
        assertTrue(plugins.out().contains("  listed — sweep: {configurations: [...]}: configurations one by one.\n"), plugins.out());
        assertTrue(plugins.out().contains("  grid — ") && plugins.out().contains("  wandb — "), plugins.out());
    }
}
