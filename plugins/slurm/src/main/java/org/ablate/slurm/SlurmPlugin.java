package org.ablate.slurm;

import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.launch.Launcher;

/** Registers the {@code slurm} launcher. */
public final class SlurmPlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    protected void configure() {
        registerComponent(Launcher.class, SlurmLauncher.NAME,
                "Submits the sweep's pending trials as one Slurm job array (sbatch --parsable); each array task runs"
                        + " `ablate run-trial` for one trial. Needs the results folder on the cluster's shared filesystem.",
                SlurmLauncher.SCHEMA, SlurmLauncher.class);
    }
}
