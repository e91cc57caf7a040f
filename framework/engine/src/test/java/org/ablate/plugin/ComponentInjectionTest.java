package org.ablate.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.SharedCache;
import org.junit.jupiter.api.Test;

/** Components are created by Guice, configured with their own parameters and given the engine's collaborators. */
class ComponentInjectionTest {

    /** A component kind of this test. */
    public interface Shape {
        double area();
    }

    /** Configured at creation: its parameters arrive in its constructor. */
    public static final class Square implements Shape {
        private final double side;

        @Inject
        public Square(@ComponentParams Parameters params) {
            if (params.getDouble("side") < 0) {
                throw new IllegalArgumentException("side must be >= 0, got " + params.getDouble("side"));
            }
            this.side = params.getDouble("side");
        }

        @Override
        public double area() {
            return side * side;
        }
    }

    /** Made of another shape, picked by name: it needs the registry, and keeps its result in the shared cache. */
    public static final class Stack implements Shape {
        final Shape part;
        final long copies;
        final SharedCache cache;
        final ComponentRegistry registry;

        @Inject
        public Stack(@ComponentParams Parameters params, ComponentRegistry registry, SharedCache cache) {
            this.part = registry.create(Shape.class, params.getString("part"), params.scope("part"));
            this.copies = params.getLong("copies");
            this.cache = cache;
            this.registry = registry;
        }

        @Override
        public double area() {
            return copies * part.area();
        }
    }

    /** No parameters of its own, but a collaborator. */
    public static final class Unit implements Shape {
        final SharedCache cache;

        @Inject
        public Unit(SharedCache cache) {
            this.cache = cache;
        }

        @Override
        public double area() {
            return 1.0;
        }
    }

    public static final class ShapesPlugin extends AbstractPlugin {
        @Override
        protected void configure() {
            registerComponent(Shape.class, "square", "A square.", ParameterSchema.of(
                    Param.real("side").defaultValue(1.0).doc("Side.")), Square.class);
            registerComponent(Shape.class, "stack", "Copies of a shape.", ParameterSchema.of(
                    Param.component("part", Shape.class).defaultValue("square").doc("The shape."),
                    Param.integer("copies").defaultValue(2).doc("How many.")), Stack.class);
            registerComponent(Shape.class, "unit", "The unit square.", ParameterSchema.empty(), Unit.class);
        }
    }

    private static PluginRuntime engine() {
        return PluginRuntime.start(List.of(new LoadedPlugin(new ShapesPlugin(), "test")));
    }

    @Test
    void aComponentIsConfiguredWithItsOwnParametersAtCreation() {
        ComponentRegistry registry = engine().registry();
        assertEquals(9.0, registry.create(Shape.class, "square", new Parameters(Map.of("side", 3.0))).area());
        assertEquals(4.0, registry.create(Shape.class, "square", new Parameters(Map.of("side", 2.0))).area(),
                "each creation gets its own parameters");
    }

    @Test
    void aComponentReceivesTheRegistryAndTheSharedCacheByInjection() {
        PluginRuntime engine = engine();
        Stack stack = (Stack) engine.registry().create(Shape.class, "stack",
                new Parameters(Map.of("part", "square", "part.side", 5.0, "copies", 3L)));
        assertEquals(75.0, stack.area());
        assertSame(engine.registry(), stack.registry);
        assertSame(engine.injector().getInstance(SharedCache.class), stack.cache, "one cache per engine");
        Stack again = (Stack) engine.registry().create(Shape.class, "stack",
                new Parameters(Map.of("part", "square", "part.side", 1.0, "copies", 1L)));
        assertSame(stack.cache, again.cache);
        assertSame(stack.cache, ((Unit) engine.registry().create(Shape.class, "unit")).cache,
                "a component without parameters gets its collaborators too");
    }

    @Test
    void anExceptionFromAComponentsConstructorReachesTheCallerUnchanged() {
        ComponentRegistry registry = engine().registry();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.create(Shape.class, "square", new Parameters(Map.of("side", -1.0))));
        assertEquals("side must be >= 0, got -1.0", e.getMessage());
    }
}
