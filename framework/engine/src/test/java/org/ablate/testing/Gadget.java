package org.ablate.testing;

/**
 * A component kind that only tests use: a task picks one by name, like a quantizer or a sketch,
 * and gets it configured with its own parameters.
 */
public interface Gadget {

    double scale();
}
