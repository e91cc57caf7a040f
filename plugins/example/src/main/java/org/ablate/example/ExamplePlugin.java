package org.ablate.example;

import org.ablate.spi.AbstractPlugin;

/**
 * The template plugin. A plugin is three things:
 * <ol>
 *   <li>a class extending {@link AbstractPlugin} whose {@code configure()} registers components;</li>
 *   <li>a file {@code META-INF/services/org.ablate.spi.Plugin} naming that class;</li>
 *   <li>a Maven module under {@code plugins/} listed in {@code plugins/pom.xml}.</li>
 * </ol>
 * Copy this module, rename the package, and register your own tasks (and component kinds).
 */
public final class ExamplePlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "example";
    }

    @Override
    protected void configure() {
        registerTask("monte-carlo-pi",
                "Estimates pi from points in the unit square; logs the error as the sample count grows.",
                MonteCarloPiTask.SCHEMA, MonteCarloPiTask.METRICS, MonteCarloPiTask.class);
    }
}
