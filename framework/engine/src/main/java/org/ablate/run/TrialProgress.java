package org.ablate.run;

import org.ablate.spi.ProgressReporter;

/** A trial's progress as last reported; read by the console display from another thread. */
final class TrialProgress implements ProgressReporter {

    private volatile long total;
    private volatile long done;
    private volatile String message = "";

    @Override
    public void total(long total) {
        this.total = Math.max(0, total);
    }

    @Override
    public void update(long done) {
        this.done = Math.max(0, done);
    }

    @Override
    public void message(String message) {
        this.message = message == null ? "" : message;
    }

    /** "400/1000 (40%) loss 0.03", or "" before the task reports anything. */
    String describe() {
        long t = total;
        long d = done;
        String m = message;
        StringBuilder s = new StringBuilder();
        if (t > 0) {
            s.append(d).append('/').append(t).append(" (").append(Math.min(100, d * 100 / t)).append("%)");
        } else if (d > 0) {
            s.append(d);
        }
        if (!m.isEmpty()) {
            s.append(s.length() > 0 ? " " : "").append(m);
        }
        return s.toString();
    }

    long total() {
        return total;
    }

    long done() {
        return done;
    }

    String message() {
        return message;
    }

    double fraction() {
        long t = total;
        return t > 0 ? Math.min(1.0, (double) done / t) : 0.0;
    }
}
