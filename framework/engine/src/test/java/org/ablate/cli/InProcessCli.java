package org.ablate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The CLI run in this JVM with its stdout and stderr captured, for tests outside this package. */
public final class InProcessCli {

    /** An invocation's exit code and what it printed (log lines go to the real stderr). */
    public record Result(int code, String out, String err) {
    }

    private InProcessCli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AblateCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
