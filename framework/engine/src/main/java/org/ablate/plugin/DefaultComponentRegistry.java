package org.ablate.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.spi.InjectionPoint;
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
import java.util.concurrent.ConcurrentHashMap;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentKey;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Parameters;

/**
 * The registry built from every plugin's MapBinder entries; rejects a name claimed twice. It creates
 * each component through Guice with the component's own parameters bound.
 */
final class DefaultComponentRegistry implements ComponentRegistry {

    private static final Key<Parameters> PARAMETERS = Key.get(Parameters.class, ComponentParams.class);

    private final Map<ComponentKey, ComponentDefinition> definitions;
    private final Map<Class<?>, Boolean> takesParameters = new ConcurrentHashMap<>();
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
    public <T> T create(Class<T> kind, String name, Parameters params) {
        Class<?> implementation = definition(kind, name).implementation();
        try {
            if (!takesParameters(implementation)) {
                return kind.cast(injector.getInstance(implementation));
            }
            // a child injector per creation: the component's own parameters are one more binding, and
            // everything else (this registry, the shared cache, a plugin's bindings) comes from the parent
            Injector child = injector.createChildInjector(binder -> binder.bind(Parameters.class)
                    .annotatedWith(ComponentParams.class).toInstance(params));
            return kind.cast(child.getInstance(implementation));
        } catch (ProvisionException e) {
            // the constructor's own exception (e.g. a bad parameter value), not Guice's wrapper
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Whether the class injects {@code @ComponentParams Parameters} itself (constructor, field or
     * method). Those without skip the child injector, a third of a millisecond per creation: tasks
     * and parameterless components are created as cheaply as before.
     */
    private boolean takesParameters(Class<?> implementation) {
        return takesParameters.computeIfAbsent(implementation, c -> {
            try {
                Set<InjectionPoint> points = new java.util.HashSet<>(InjectionPoint.forInstanceMethodsAndFields(c));
                points.add(InjectionPoint.forConstructorOf(c));
                return points.stream().flatMap(p -> p.getDependencies().stream())
                        .anyMatch(d -> d.getKey().equals(PARAMETERS));
            } catch (ConfigurationException e) {
                return true; // not injectable: let Guice say why, from where the component is created
            }
        });
    }
}
