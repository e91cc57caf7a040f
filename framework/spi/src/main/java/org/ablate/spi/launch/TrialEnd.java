package org.ablate.spi.launch;

import java.util.Objects;

/**
 * How a trial run outside this JVM ended, as its launcher saw it. {@link Kind#RECORDED}: the trial
 * ran to its own end and wrote it (FINISHED, or FAILED with its own reason); the engine reads it
 * from the trial's folder. Otherwise the launcher stopped it or saw it die, and the engine records
 * the end with this reason, unless the trial's folder already holds one. {@link Kind#KILLED}: a
 * scheduler stopped it (a time limit, out of memory, a node failure, a cancel): recorded FAILED with
 * this reason even over the INTERRUPTED the trial recorded itself when the scheduler's signal came.
 *
 * @param attempt the attempt token the trial ran under ({@code run-trial --attempt}; see
 *                {@link TrialCommand#withAttempt}), or "" when it wrote the trial's folder itself.
 *                The engine commits that staged attempt: exactly one attempt of a trial is ever
 *                committed, the others are archived.
 */
public record TrialEnd(Kind kind, String reason, String detail, String attempt) {

    public enum Kind { RECORDED, FAILED, INTERRUPTED, KILLED }

    public TrialEnd {
        Objects.requireNonNull(kind, "kind");
        reason = reason == null ? "" : reason;
        detail = detail == null ? "" : detail;
        attempt = attempt == null ? "" : attempt;
    }

    public TrialEnd(Kind kind, String reason, String detail) {
        this(kind, reason, detail, "");
    }

    /** The same end, of the attempt with this token. */
    public TrialEnd ofAttempt(String token) {
        return new TrialEnd(kind, reason, detail, token);
    }

    public static TrialEnd recorded() {
        return new TrialEnd(Kind.RECORDED, "", "");
    }

    /** @param detail what helps find the cause (the tail of the child's stderr), kept with the status */
    public static TrialEnd failed(String reason, String detail) {
        return new TrialEnd(Kind.FAILED, reason, detail);
    }

    /** @param reason the scheduler's own word for why (e.g. "Slurm: time limit exceeded (TIMEOUT)") */
    public static TrialEnd killed(String reason, String detail) {
        return new TrialEnd(Kind.KILLED, reason, detail);
    }

    public static TrialEnd interrupted(String reason) {
        return new TrialEnd(Kind.INTERRUPTED, reason, "");
    }
}
