package org.ablate.config;

/**
 * Where a configuration value was written: a file and line, or the command line, plus the key
 * path as the user wrote it. Every validation error starts with it.
 */
public record Origin(String source, int line, String key) {

    public static Origin commandLine(String argument, String key) {
        return new Origin("command line '" + argument + "'", 0, key);
    }

    public Origin child(String childKey, int childLine) {
        return new Origin(source, childLine > 0 ? childLine : line, childKey);
    }

    /** "file.yaml:12" or "command line 'k=v'". */
    public String location() {
        return line > 0 ? source + ":" + line : source;
    }

    @Override
    public String toString() {
        return location() + ": " + key;
    }
}
