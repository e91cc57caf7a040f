package org.ablate.plugin;

import org.ablate.spi.Plugin;

/** A plugin found on the classpath, with where its class came from (a jar or a folder). */
public record LoadedPlugin(Plugin plugin, String location) {

    public String name() {
        return plugin.name();
    }

    public String version() {
        return plugin.version();
    }

    public String className() {
        return plugin.getClass().getName();
    }

    /** "org.x.MyPlugin (/path/my-plugin.jar)" — how errors name a plugin. */
    public String describe() {
        return describe(plugin.getClass());
    }

    public static String describe(Class<?> type) {
        return type.getName() + " (" + locationOf(type) + ")";
    }

    /** The jar or folder a class was loaded from, or "unknown location". */
    public static String locationOf(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                return java.nio.file.Path.of(source.getLocation().toURI()).toString();
            }
        } catch (Exception ignored) {
            // fall through: an exotic class loader without a file location
        }
        return "unknown location";
    }
}
