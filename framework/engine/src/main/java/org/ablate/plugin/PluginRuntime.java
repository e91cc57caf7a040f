package org.ablate.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.spi.Message;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.SharedCache;

/**
 * The wired application: every discovered plugin's module plus the framework's own bindings in one
 * Guice injector, which binds what components may inject: the {@link ComponentRegistry}, the
 * process's {@link SharedCache} and the clock ({@link InstantSource}, the system's unless a module
 * sets another with an {@link OptionalBinder}). Each plugin's module is first recorded on its own, so a plugin whose
 * {@code configure()} throws is named with its jar instead of surfacing as an anonymous Guice error.
 */
public final class PluginRuntime {

    private final Injector injector;
    private final List<LoadedPlugin> plugins;

    private PluginRuntime(Injector injector, List<LoadedPlugin> plugins) {
        this.injector = injector;
        this.plugins = List.copyOf(plugins);
    }

    /** Discovers the plugins visible to the context class loader. */
    public static PluginRuntime start() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return start(PluginDiscovery.discover(loader == null ? PluginRuntime.class.getClassLoader() : loader));
    }

    public static PluginRuntime start(List<LoadedPlugin> plugins) {
        List<Element> elements = new ArrayList<>();
        for (LoadedPlugin p : plugins) {
            List<Element> recorded;
            try {
                recorded = Elements.getElements(Stage.DEVELOPMENT, p.plugin());
            } catch (RuntimeException | LinkageError e) {
                // e.g. a component class whose static initialiser throws
                throw new PluginLoadException("plugin " + p.describe() + " failed to load: "
                        + PluginDiscovery.rootMessage(e).replace('\n', ' '), e);
            }
            List<String> errors = recorded.stream().filter(e -> e instanceof Message)
                    .map(e -> ((Message) e).getMessage()).toList();
            if (!errors.isEmpty()) {
                throw new PluginLoadException("plugin " + p.describe() + " failed to load: "
                        + String.join("; ", errors).replace('\n', ' '));
            }
            elements.addAll(recorded);
        }
        Module framework = new AbstractModule() {
            @Override
            protected void configure() {
                AbstractPlugin.components(binder()); // an empty registry is valid
                bind(ComponentRegistry.class).to(DefaultComponentRegistry.class).asEagerSingleton();
                // one per engine, and the CLI starts one engine per process: data sets are decoded
                // once per process, not per trial; a quarter of the heap bounds what it keeps
                bind(SharedCache.class).toInstance(SharedCache.bounded(Runtime.getRuntime().maxMemory() / 4));
                // trial start and end times; a module may set another (tests: durations exactly known)
                OptionalBinder.newOptionalBinder(binder(), InstantSource.class).setDefault().toInstance(InstantSource.system());
            }
        };
        try {
            Injector injector = Guice.createInjector(Stage.DEVELOPMENT, framework, Elements.getModule(elements));
            return new PluginRuntime(injector, plugins);
        } catch (CreationException e) {
            for (Message m : e.getErrorMessages()) {
                if (m.getCause() instanceof PluginLoadException ple) {
                    throw ple;
                }
            }
            throw new PluginLoadException("plugins could not be wired: " + e.getMessage().replace('\n', ' '), e);
        }
    }

    public ComponentRegistry registry() {
        return injector.getInstance(ComponentRegistry.class);
    }

    /** The clock trials' start and end times are read from. */
    public InstantSource clock() {
        return injector.getInstance(InstantSource.class);
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    public Injector injector() {
        return injector;
    }
}
