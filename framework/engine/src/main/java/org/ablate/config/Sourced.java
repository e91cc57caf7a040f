package org.ablate.config;

/** A raw configuration value (Long, Double, Boolean, String, List, or null) and where it was written. */
public record Sourced(Object value, Origin origin) {
}
