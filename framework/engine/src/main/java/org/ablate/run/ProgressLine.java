package org.ablate.run;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one line the terminal display redraws: the sweep's bar, counts and elapsed time, then what
 * the running trials last reported. A pure function of the state and the terminal's width, so
 * every width can be tested; the line never reaches the last column (that would wrap it).
 */
final class ProgressLine {

    /** The longest experiment name shown in full; longer ones keep their start and an ellipsis. */
    static final int NAME_WIDTH = 20;
    private static final int BAR_WIDTH = 12;
    private static final String ELLIPSIS = "…";

    /** A running trial as shown: the id's first characters and its own progress. */
    record Running(String id, long done, long total, String message) {
    }

    /**
     * @param ended        trials of this invocation that have ended (any state)
     * @param toRun        trials this invocation runs
     * @param failed       of those ended, the ones not FINISHED
     * @param lastEnded    "6f3a2c FINISHED error=0.01" for the latest ended trial, or ""
     */
    record State(String experiment, int ended, int toRun, int failed, Duration elapsed,
                 List<Running> running, String lastEnded) {
    }

    private ProgressLine() {
    }

    static String render(State s, int width) {
        StringBuilder line = new StringBuilder(abbreviate(s.experiment(), NAME_WIDTH)).append(' ');
        if (width >= 60) {
            line.append(bar(fraction(s))).append(' ');
        }
        line.append(s.ended()).append('/').append(s.toRun()).append(" trials");
        if (s.failed() > 0) {
            line.append(", ").append(s.failed()).append(" failed");
        }
        line.append(' ').append(clock(s.elapsed()));
        String detail = s.running().isEmpty() ? s.lastEnded() : running(s.running());
        if (!detail.isEmpty()) {
            line.append(" | ").append(detail);
        }
        return abbreviate(line.toString(), Math.max(1, width - 1));
    }

    /** Ended trials plus the running ones' own fractions, so the bar moves within a long trial. */
    static double fraction(State s) {
        if (s.toRun() <= 0) {
            return 1.0;
        }
        double within = 0;
        for (Running r : s.running()) {
            within += r.total() > 0 ? Math.min(1.0, (double) r.done() / r.total()) : 0.0;
        }
        return Math.min(1.0, (s.ended() + within) / s.toRun());
    }

    private static String bar(double fraction) {
        int full = (int) Math.round(fraction * BAR_WIDTH);
        return "[" + "#".repeat(full) + "-".repeat(BAR_WIDTH - full) + "]";
    }

    private static String running(List<Running> running) {
        StringBuilder s = new StringBuilder();
        for (Running r : running) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(r.id(), 0, Math.min(6, r.id().length()));
            if (r.total() > 0) {
                s.append(' ').append(compact(r.done())).append('/').append(compact(r.total()))
                        .append(' ').append(Math.min(100, r.done() * 100 / r.total())).append('%');
            } else if (r.done() > 0) {
                s.append(' ').append(compact(r.done()));
            }
            if (!r.message().isEmpty()) {
                s.append(' ').append(r.message().replace('\n', ' ').replace('\r', ' '));
            }
        }
        return s.toString();
    }

    /** 950, 12.3k, 400M: sample counts run to billions and would fill the line. */
    static String compact(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G", "T", "P", "E"};
        double v = n;
        int u = -1;
        while (v >= 999.5 && u < units.length - 1) { // so that 999,999 shows as 1.0M, not 1000k
            v /= 1000;
            u++;
        }
        return (v < 100 ? String.format(Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v))) + units[u];
    }

    /** 1:23 under an hour, then 2:01:23. */
    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** At most {@code max} characters (code points), ending in an ellipsis when cut. */
    static String abbreviate(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        int end = text.offsetByCodePoints(0, Math.max(0, max - 1));
        return text.substring(0, end) + ELLIPSIS;
    }
}
