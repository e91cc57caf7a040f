package org.ablate.spi.sweep;

import java.util.Map;

/**
 * Turns an experiment file's {@code sweep:} section into the configurations to run (Hydra's
 * Sweeper). A plugin registers one as a component of this kind; the framework's own are
 * {@code grid} (grid/zip, the default) and {@code wandb} (a W&amp;B sweep configuration).
 * Created by Guice like every component (constructor injection works); it keeps no state between calls.
 */
public interface Sweeper {

    /**
     * Whether the section is written in this sweeper's dialect, told by its keys (a W&amp;B sweep
     * has {@code method}). The default sweeper reads every section that no other one claims.
     *
     * @param section the section as plain values (see {@link SweepSection#values()})
     */
    boolean reads(Map<String, Object> section);

    /**
     * The sweep the section declares.
     *
     * @throws SweepException naming the part of the section that is wrong
     */
    Sweep sweep(SweepSection section);
}
