package org.ablate.testing;

import org.ablate.spi.Parameters;

/** A component kind that only tests use: a task picks one by name, like a quantizer or a sketch. */
public interface Gadget {

    double scale(Parameters params);
}
