package org.ablate.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;
import org.ablate.testing.Gadget;
import org.ablate.testing.PluginJars;
import org.ablate.testing.TestPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {

    @TempDir
    Path tmp;

    private static String plugin(String pkg, String cls, String body) {
        return "package " + pkg + ";\n"
                + "import org.ablate.spi.*;\n"
                + "public final class " + cls + " extends AbstractPlugin {\n"
                + "  protected void configure() {\n" + body + "\n  }\n"
                + "  public static final class T implements Task {\n"
                + "    public java.util.Map<String, Double> run(TrialContext c) { return java.util.Map.of(\"v\", 1.0); }\n"
                + "  }\n"
                + "}\n";
    }

    private static ClassLoader loaderOf(Path... jars) throws Exception {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, PluginDiscoveryTest.class.getClassLoader());
    }

    @Test
    void discoversPluginsFromTheClasspathWithoutAList() {
        PluginRuntime engine = PluginRuntime.start();
        ComponentRegistry registry = engine.registry();
        assertTrue(engine.plugins().stream().anyMatch(p -> p.plugin() instanceof TestPlugin));
        assertEquals(List.of("child-fault", "command", "formula", "needs-label", "noop", "probe", "program", "spin"), registry.names(Task.class));
        assertEquals(List.of("plain", "scaled"), registry.names(Gadget.class));
        assertInstanceOf(TestPlugin.ScaledGadget.class, registry.create(Gadget.class, "scaled", new Parameters(Map.of("factor", 2.0))));
        assertEquals("A controllable task for framework tests.", registry.definition(Task.class, "probe").description());
        assertEquals(TestPlugin.class, registry.definition(Task.class, "probe").origin());
    }

    @Test
    void aPluginInAJarAddsItsComponents() throws Exception {
        Path jar = PluginJars.build(tmp, "extra", Map.of("com.acme.ExtraPlugin",
                plugin("com.acme", "ExtraPlugin", "registerTask(\"extra\", \"An extra task.\", ParameterSchema.empty(), T.class);")),
                List.of("com.acme.ExtraPlugin"));
        PluginRuntime engine = PluginRuntime.start(PluginDiscovery.discover(loaderOf(jar)));
        assertEquals(List.of("child-fault", "command", "extra", "formula", "needs-label", "noop", "probe", "program", "spin"), engine.registry().names(Task.class));
        LoadedPlugin extra = engine.plugins().stream().filter(p -> p.className().equals("com.acme.ExtraPlugin")).findFirst().orElseThrow();
        assertEquals(jar.toString(), extra.location());
    }

    @Test
    void twoPluginsWithOneComponentNameAreRejectedNamingBoth() throws Exception {
        Path a = PluginJars.build(tmp, "alpha", Map.of("com.alpha.AlphaPlugin",
                plugin("com.alpha", "AlphaPlugin", "registerTask(\"shared\", \"A.\", ParameterSchema.empty(), T.class);")),
                List.of("com.alpha.AlphaPlugin"));
        Path b = PluginJars.build(tmp, "beta", Map.of("com.beta.BetaPlugin",
                plugin("com.beta", "BetaPlugin", "registerTask(\"shared\", \"B.\", ParameterSchema.empty(), T.class);")),
                List.of("com.beta.BetaPlugin"));
        var plugins = PluginDiscovery.discover(loaderOf(a, b));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRuntime.start(plugins));
        assertEquals("task 'shared' is registered by more than one plugin: com.alpha.AlphaPlugin (" + a
                + ") as com.alpha.AlphaPlugin$T and com.beta.BetaPlugin (" + b + ") as com.beta.BetaPlugin$T",
                e.getMessage());
    }

    @Test
    void aPluginClashingWithAnInstalledOneNamesBothJars() throws Exception {
        Path jar = PluginJars.build(tmp, "clash", Map.of("com.clash.ClashPlugin",
                plugin("com.clash", "ClashPlugin", "registerTask(\"probe\", \"Again.\", ParameterSchema.empty(), T.class);")),
                List.of("com.clash.ClashPlugin"));
        var plugins = PluginDiscovery.discover(loaderOf(jar));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRuntime.start(plugins));
        assertTrue(e.getMessage().startsWith("task 'probe' is registered by more than one plugin: com.clash.ClashPlugin ("
                + jar + ") as com.clash.ClashPlugin$T and org.ablate.testing.TestPlugin ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(") as org.ablate.testing.TestPlugin$ProbeTask"), e.getMessage());
    }

    @Test
    void aPluginWhoseConfigureThrowsIsNamedWithItsJar() throws Exception {
        Path jar = PluginJars.build(tmp, "broken", Map.of("com.broken.BrokenPlugin",
                plugin("com.broken", "BrokenPlugin", "throw new IllegalStateException(\"no licence file\");")),
                List.of("com.broken.BrokenPlugin"));
        var plugins = PluginDiscovery.discover(loaderOf(jar));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRuntime.start(plugins));
        assertTrue(e.getMessage().startsWith("plugin com.broken.BrokenPlugin (" + jar + ") failed to load: "), e.getMessage());
        assertTrue(e.getMessage().contains("no licence file"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aPluginWhoseConstructorThrowsIsNamedWithItsJar() throws Exception {
        String source = "package com.ctor;\nimport org.ablate.spi.*;\n"
                + "public final class CtorPlugin extends AbstractPlugin {\n"
                + "  public CtorPlugin() { throw new IllegalStateException(\"cannot start\"); }\n"
                + "  protected void configure() { }\n}\n";
        Path jar = PluginJars.build(tmp, "ctor", Map.of("com.ctor.CtorPlugin", source), List.of("com.ctor.CtorPlugin"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginDiscovery.discover(loaderOf(jar)));
        assertTrue(e.getMessage().startsWith("plugin com.ctor.CtorPlugin (" + jar + ") failed to load: "), e.getMessage());
        assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
    }

    @Test
    void aServiceFileNamingAMissingClassIsAClearError() throws Exception {
        Path jar = PluginJars.build(tmp, "missing", Map.of("com.ok.Ok", "package com.ok; public class Ok {}"),
                List.of("com.missing.GhostPlugin"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginDiscovery.discover(loaderOf(jar)));
        assertTrue(e.getMessage().startsWith("cannot load plugin: "), e.getMessage());
        assertTrue(e.getMessage().contains("com.missing.GhostPlugin"), e.getMessage());
    }
}
