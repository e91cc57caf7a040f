package org.ablate.spi.launch;

/**
 * What one trial asks for ({@code resources: {cpus: 2, memory: 4g, gpus: 1}} in the experiment
 * file); 0 means not requested. A launcher honours what it can: the process launcher sets a child's
 * thread counts and heap; a cluster launcher asks its scheduler.
 */
public record Resources(int cpus, long memoryBytes, int gpus) {

    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources {
        if (cpus < 0 || memoryBytes < 0 || gpus < 0) {
            throw new IllegalArgumentException("resources cannot be negative: cpus " + cpus + ", memory "
                    + memoryBytes + ", gpus " + gpus);
        }
    }

    public boolean isEmpty() {
        return cpus == 0 && memoryBytes == 0 && gpus == 0;
    }

    /** The memory in MiB, rounded up (what -Xmx and schedulers take), 0 when not requested. */
    public long memoryMebibytes() {
        return (memoryBytes + (1L << 20) - 1) >> 20;
    }
}
