package org.ablate.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.ablate.spi.Plugin;

/** Finds plugins with {@link ServiceLoader}: no hand-kept list, a plugin is a jar on the classpath. */
public final class PluginDiscovery {

    private PluginDiscovery() {
    }

    public static List<LoadedPlugin> discover(ClassLoader loader) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        var providers = ServiceLoader.load(Plugin.class, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<Plugin> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError e) {
                // a service file naming a missing or wrong class: the message names both
                throw new PluginLoadException("cannot load plugin: " + rootMessage(e), e);
            }
            Plugin plugin;
            try {
                plugin = provider.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                throw new PluginLoadException("plugin " + LoadedPlugin.describe(provider.type())
                        + " failed to load: " + rootMessage(e), e);
            }
            plugins.add(new LoadedPlugin(plugin, LoadedPlugin.locationOf(plugin.getClass())));
        }
        plugins.sort((a, b) -> a.className().compareTo(b.className()));
        return plugins;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            s.append(": ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return s.toString();
    }
}
