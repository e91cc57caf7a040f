package org.ablate.spark;

import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.launch.Launcher;

/**
 * Registers the {@code spark} launcher. Nothing here names a Spark type: a run with another
 * launcher loads no Spark class (Spark's ~135 jars stay on the classpath, unread).
 */
public final class SparkPlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    protected void configure() {
        registerComponent(Launcher.class, SparkLauncher.NAME,
                "Runs each trial as one Spark job (job group = the trial id) whose task starts the trial's child"
                        + " (`ablate run-trial`); embedded local[*] by default, `launcher.master=` for another master.",
                SparkLauncher.SCHEMA, SparkLauncher.class);
    }
}
