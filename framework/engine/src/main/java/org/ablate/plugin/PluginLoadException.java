package org.ablate.plugin;

/** A plugin could not be loaded, or two plugins claim the same component; the message says which. */
public class PluginLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginLoadException(String message) {
        super(message);
    }
}
