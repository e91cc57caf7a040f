package org.ablate.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;

/**
 * Bounds a YAML document before its node graph is built: at most {@link #MAX_DEPTH} levels of
 * nesting and {@link #MAX_VALUES} values once aliases are expanded. snakeyaml-engine 2.10 limits
 * the number of aliases but not what they expand to (48 aliases can stand for 2^25 values, enough
 * to exhaust the heap), and its composer recurses once per level (2,000 levels overflow the
 * stack); its event parser does neither, so the check walks the events.
 */
final class YamlLimits {

    static final int MAX_DEPTH = 64;
    static final int MAX_VALUES = 100_000;

    private YamlLimits() {
    }

    /** Throws a located {@link ConfigException} when {@code text} exceeds a limit. */
    static void check(String text, LoadSettings settings, String source) {
        // values each anchor stands for, so an alias counts as what it expands to
        Map<String, Long> anchored = new HashMap<>();
        Deque<long[]> open = new ArrayDeque<>(); // per open collection: values so far
        Deque<String> anchors = new ArrayDeque<>();
        long total = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            long values;
            if (event instanceof CollectionStartEvent start) {
                if (open.size() >= MAX_DEPTH) {
                    throw located(source, event, "nested deeper than " + MAX_DEPTH
                            + " levels (accepted: at most " + MAX_DEPTH + " levels of lists and mappings)");
                }
                open.push(new long[] {1});
                anchors.push(start.getAnchor().map(Object::toString).orElse(""));
                total += 1;
            } else if (event.getEventId() == Event.ID.SequenceEnd || event.getEventId() == Event.ID.MappingEnd) {
                values = open.pop()[0];
                String anchor = anchors.pop();
                if (!anchor.isEmpty()) {
                    anchored.put(anchor, values);
                }
                addTo(open, values);
            } else if (event instanceof ScalarEvent scalar) {
                scalar.getAnchor().ifPresent(a -> anchored.put(a.toString(), 1L));
                total += 1;
                addTo(open, 1);
            } else if (event instanceof AliasEvent alias) {
                values = anchored.getOrDefault(alias.getAlias().toString(), 1L);
                total += values;
                addTo(open, values);
            }
            if (total > MAX_VALUES) {
                throw located(source, event, "more than " + MAX_VALUES + " values once aliases are expanded"
                        + " (accepted: at most " + MAX_VALUES + " values; an alias counts as every value it repeats)");
            }
        }
    }

    private static void addTo(Deque<long[]> open, long values) {
        if (!open.isEmpty()) {
            open.peek()[0] += values;
        }
    }

    private static ConfigException located(String source, Event event, String problem) {
        int line = event.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        return new ConfigException(line > 0 ? source + ":" + line : source, "invalid YAML: " + problem);
    }
}
