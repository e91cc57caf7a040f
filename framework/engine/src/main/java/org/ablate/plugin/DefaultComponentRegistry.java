package org.ablate.plugin;

import com.google.inject.Injector;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentKey;
import org.ablate.spi.ComponentRegistry;

/** The registry built from every plugin's MapBinder entries; rejects a name claimed twice. */
final class DefaultComponentRegistry implements ComponentRegistry {

    private final Map<ComponentKey, ComponentDefinition> definitions;
    private final Injector injector;

    @Inject
    DefaultComponentRegistry(Map<ComponentKey, Set<ComponentDefinition>> registrations, Injector injector) {
        this.injector = injector;
        Map<ComponentKey, ComponentDefinition> map = new java.util.HashMap<>();
        List<String> clashes = new ArrayList<>();
        registrations.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().toString()))
                .forEach(e -> {
                    if (e.getValue().size() > 1) {
                        List<String> owners = e.getValue().stream()
                                .map(d -> LoadedPlugin.describe(d.origin()) + " as " + d.implementation().getName())
                                .sorted().toList();
                        clashes.add(e.getKey() + " is registered by more than one plugin: "
                                + String.join(" and ", owners));
                    }
                    map.put(e.getKey(), e.getValue().iterator().next());
                });
        if (!clashes.isEmpty()) {
            throw new PluginLoadException(String.join("; ", clashes));
        }
        this.definitions = Collections.unmodifiableMap(map);
    }

    @Override
    public Optional<ComponentDefinition> find(Class<?> kind, String name) {
        return Optional.ofNullable(definitions.get(new ComponentKey(kind, name)));
    }

    @Override
    public ComponentDefinition definition(Class<?> kind, String name) {
        return find(kind, name).orElseThrow(() -> new IllegalArgumentException("unknown "
                + ComponentKey.kindName(kind) + " '" + name + "' (registered: " + String.join(", ", names(kind)) + ")"));
    }

    @Override
    public List<String> names(Class<?> kind) {
        return definitions.keySet().stream().filter(k -> k.kind().equals(kind))
                .map(ComponentKey::name).sorted().toList();
    }

    @Override
    public Set<Class<?>> kinds() {
        Map<String, Class<?>> sorted = new TreeMap<>();
        definitions.keySet().forEach(k -> sorted.put(ComponentKey.kindName(k.kind()), k.kind()));
        return new LinkedHashSet<>(sorted.values());
    }

    @Override
    public <T> T create(Class<T> kind, String name) {
        return kind.cast(injector.getInstance(definition(kind, name).implementation()));
    }
}
