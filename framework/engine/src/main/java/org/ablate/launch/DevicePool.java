package org.ablate.launch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.ablate.spi.launch.LaunchContext;

/**
 * The GPU devices the process launcher was told about ({@code launcher.devices=0,1}): a trial that
 * asks for N waits until N are free and has them to itself. With no devices given, nothing is
 * assigned and CUDA_VISIBLE_DEVICES is left alone.
 */
final class DevicePool {

    private final List<String> all;
    private final Deque<String> free;

    private DevicePool(List<String> devices) {
        this.all = List.copyOf(devices);
        this.free = new ArrayDeque<>(devices);
    }

    static DevicePool parse(String devices) {
        return new DevicePool(Arrays.stream(devices.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /**
     * @return the devices granted (empty when none were given or asked for), or null when the sweep
     *     was stopped while waiting
     */
    synchronized List<String> acquire(int wanted, LaunchContext context) throws InterruptedException {
        if (all.isEmpty() || wanted == 0) {
            return List.of();
        }
        if (wanted > all.size()) {
            throw new IllegalArgumentException("the trial asks for " + wanted + " GPU(s) but launcher.devices names only "
                    + all.size() + " (" + String.join(",", all) + ")");
        }
        while (free.size() < wanted) {
            if (context.cancellation().isCancelled()) {
                return null;
            }
            wait(100);
        }
        List<String> granted = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            granted.add(free.removeFirst());
        }
        return granted;
    }

    synchronized void release(List<String> granted) {
        if (granted != null && !granted.isEmpty()) {
            free.addAll(granted);
            notifyAll();
        }
    }
}
