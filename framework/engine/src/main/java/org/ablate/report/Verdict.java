package org.ablate.report;

import java.util.Collection;

/** How a claim, or one comparison inside it, came out. */
public enum Verdict {
    PASS, FAIL, INCONCLUSIVE;

    /** FAIL if any part failed, else INCONCLUSIVE if any part was, else PASS (and INCONCLUSIVE for nothing). */
    public static Verdict combine(Collection<Verdict> parts) {
        if (parts.isEmpty()) {
            return INCONCLUSIVE;
        }
        if (parts.contains(FAIL)) {
            return FAIL;
        }
        return parts.contains(INCONCLUSIVE) ? INCONCLUSIVE : PASS;
    }
}
