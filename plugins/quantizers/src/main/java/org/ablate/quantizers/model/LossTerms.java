package org.ablate.quantizers.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Reads the scalar loss terms out of the training pass itself (SameDiff's fit computes them on
 * its way to the total loss, at the parameters the step starts from), so measuring a step costs
 * no extra forward pass through the network.
 */
final class LossTerms extends BaseListener {

    private final List<String> names;
    private final Map<String, Double> values = new HashMap<>();

    LossTerms(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Forgets the last step's values; call before each fit. */
    void clear() {
        values.clear();
    }

    /** Whether the last fit produced the term's value. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The term's value in the last fit, or NaN if the pass did not produce it. */
    double get(String name) {
        return values.getOrDefault(name, Double.NaN);
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder().trainingVariables(names.toArray(String[]::new)).build();
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName, INDArray activation) {
        if (names.contains(varName)) {
            values.put(varName, activation.getDouble(0)); // read now: the session may reuse the array
        }
    }
}
