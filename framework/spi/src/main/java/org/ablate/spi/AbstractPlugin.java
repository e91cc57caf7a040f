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
 *
 * <p>Components are created by Guice and configured at creation, as Trino's
 * {@code ConnectorFactory.create(name, config, context)} hands a connector its configuration: a
 * task asks {@code ctx.component("sketch", Sketch.class)} and gets an instance whose constructor
 * received its own parameters ({@code sketch.*}, scoped) as
 * {@link ComponentParams @ComponentParams Parameters}, plus whatever else it injects
 * ({@link ComponentRegistry}, {@link SharedCache}, a binding of the plugin's own module). The
 * family's interface methods then take no parameters argument:
 *
 * <pre>{@code
 * registerComponent(Sketch.class, "osnap", "Sparse: s nonzeros per column.", OsnapSketch.SCHEMA, OsnapSketch.class);
 *
 * public final class OsnapSketch implements Sketch {
 *     public static final ParameterSchema SCHEMA = ParameterSchema.of(Param.integer("s").defaultValue(4));
 *     private final int s;
 *
 *     @Inject
 *     public OsnapSketch(@ComponentParams Parameters params) {
 *         this.s = params.getInt("s");
 *     }
 *
 *     public DenseMatrix apply(SketchInput problem, int m, long seed) { ... }
 * }
 * }</pre>
 *
 * A component with no parameters needs no constructor. Tasks are created the same way but read
 * their parameters from {@link TrialContext#params()}, as one task instance may serve several trials.
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
     * (a plugin family defines its own, e.g. a quantizer or a sketch interface). Its parameters,
     * validated against {@code schema}, reach its constructor as {@link ComponentParams} (see above).
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
