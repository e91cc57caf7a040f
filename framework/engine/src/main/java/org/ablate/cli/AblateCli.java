package org.ablate.cli;

import java.io.PrintWriter;
import org.ablate.config.ConfigException;
import org.ablate.plugin.PluginLoadException;
import org.ablate.store.ExperimentLockedException;
import org.ablate.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ablate}: the command-line entry point. */
@Command(name = "ablate", mixinStandardHelpOptions = true, versionProvider = AblateCli.Version.class,
        description = "Runs ablation sweeps of pluggable components and records every trial.",
        subcommands = {RunCommand.class, StatusCommand.class, ReportCommand.class, VerifyCommand.class, SyncCommand.class, ExportCommand.class, PluginsCommand.class, BenchCommand.class, RunTrialCommand.class, CommandLine.HelpCommand.class})
public final class AblateCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // before any logger exists: a progress bar owns the terminal, so the console shows warnings only
        if (System.getProperty("ABLATE_CONSOLE_LEVEL") == null && Terminal.isInteractive()) {
            System.setProperty("ABLATE_CONSOLE_LEVEL", "WARN");
        }
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The CLI with its error handling, for callers that set its writers (the testing module). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AblateCli());
        cli.setExecutionExceptionHandler(AblateCli::handle);
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            // picocli echoes the argument: a mistyped --tracking-uri=http://user:secret@... must not show the secret
            err.println("ablate: " + org.ablate.provenance.Redaction.redactUrls(e.getMessage()));
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.BAD_INPUT;
        });
        return cli;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        int code;
        if (e instanceof ConfigException config) {
            for (ConfigException one : config.all()) { // one line per problem found; echoed values masked
                err.println("ablate: error: " + org.ablate.provenance.Redaction.redactUrls(one.getMessage()));
            }
            code = ExitCodes.BAD_INPUT;
        } else if (e instanceof PluginLoadException) {
            err.println("ablate: plugin error: " + e.getMessage());
            code = ExitCodes.PLUGIN_ERROR;
        } else if (e instanceof org.ablate.tracking.mlflow.TrackingException) {
            err.println("ablate: tracking error: " + e.getMessage());
            code = ExitCodes.TRACKING;
        } else if (e instanceof ExperimentLockedException) {
            err.println("ablate: " + e.getMessage());
            code = ExitCodes.LOCKED;
        } else if (e instanceof org.ablate.spi.launch.LauncherUnavailableException unavailable) {
            err.println("ablate: launcher error: " + unavailable.getMessage());
            code = ExitCodes.LAUNCHER_UNAVAILABLE;
        } else if (e instanceof StoreException) {
            err.println("ablate: results store error: " + e.getMessage());
            code = ExitCodes.STORE;
        } else {
            err.println("ablate: internal error: " + e);
            e.printStackTrace(err);
            code = ExitCodes.INTERNAL_ERROR;
        }
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The framework jar's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AblateCli.class.getPackage().getImplementationVersion();
            return new String[] {"ablate " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
        }
    }
}
