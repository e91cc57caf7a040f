package org.ablate.cli;

/** Whether output goes to a person at a terminal (a bar) or to a log/CI (plain lines). */
final class Terminal {

    private Terminal() {
    }

    static boolean isInteractive() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.equals("dumb") && System.getenv("CI") == null;
    }
}
