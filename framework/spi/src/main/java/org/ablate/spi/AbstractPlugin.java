package org.ablate.spi;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;

/**
 * Base class for plugins: {@link #configure()} calls {@link #registerTask} and
 * {@link #registerComponent} for each component the plugin contributes.
 *
 * <pre>{@code
 * public final class MyPlugin extends AbstractPlugin {
 *     protected void configure() {
 *         registerTask("my-task", "What one trial computes.", MyTask.SCHEMA, MyTask.METRICS, MyTask.class);
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractPlugin extends AbstractModule implements Plugin {

    /** Registers a task: what one trial runs. Its report is checked against its results after it ran. */
    protected final void registerTask(String name, String description, ParameterSchema schema,
                                      Class<? extends Task> implementation) {
        registerTask(name, description, schema, MetricSchema.undeclared(), implementation);
    }

    /**
     * Registers a task with the metrics it logs, so that an experiment's plots and claims are
     * checked against them before the sweep runs (and shown by {@code ablate plugins}).
     */
    protected final void registerTask(String name, String description, ParameterSchema schema, MetricSchema metrics,
                                      Class<? extends Task> implementation) {
        add(new ComponentDefinition(new ComponentKey(Task.class, name), description, schema, implementation, getClass(), metrics));
    }

    /**
     * Registers a component of any kind. The kind is the SPI interface the component implements
     * (a plugin family defines its own, e.g. a quantizer or a sketch interface).
     */
    protected final <T> void registerComponent(Class<T> kind, String name, String description,
                                               ParameterSchema schema, Class<? extends T> implementation) {
        add(new ComponentDefinition(new ComponentKey(kind, name), description, schema, implementation, getClass()));
    }

    private void add(ComponentDefinition definition) {
        components(binder()).addBinding(definition.key()).toInstance(definition);
    }

    /**
     * The map every plugin adds to. Duplicates are permitted here so that the registry, not Guice,
     * reports two plugins claiming one name — with both plugins and jars named.
     */
    public static MapBinder<ComponentKey, ComponentDefinition> components(com.google.inject.Binder binder) {
        MapBinder<ComponentKey, ComponentDefinition> map =
                MapBinder.newMapBinder(binder, ComponentKey.class, ComponentDefinition.class);
        map.permitDuplicates();
        return map;
    }
}
