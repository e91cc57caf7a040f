package org.ablate.run;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.launch.TrialCommand;

/**
 * How a child process re-creates this sweep's plan and runs one trial of it: {@code ablate run-trial
 * <experiment> --trial <id>} with the same overrides and limit, into the same results folder, on
 * this JVM's java, classpath and system properties. The child expands the plan itself and refuses an
 * id that is not in it, so parent and child can never disagree on what a trial is.
 *
 * @param mainClass the CLI's entry point (the engine does not name the command layer)
 * @param provenance the file holding the sweep's provenance, which the child copies into config.json
 */
public record TrialCommands(String mainClass, Path experimentFile, List<String> overrides, long maxTrials,
                            Path resultsDir, Path provenance) {

    public static final String COMMAND = "run-trial";

    public TrialCommands {
        overrides = List.copyOf(overrides);
        experimentFile = experimentFile.toAbsolutePath().normalize();
        resultsDir = resultsDir.toAbsolutePath().normalize();
        // absolute like the others: a launcher may start the child in another folder
        provenance = provenance == null ? null : provenance.toAbsolutePath().normalize();
    }

    /** The same, with the provenance file of one sweep. */
    TrialCommands withProvenance(Path file) {
        return new TrialCommands(mainClass, experimentFile, overrides, maxTrials, resultsDir, file);
    }

    TrialCommand command(TrialSpec trial) {
        List<String> args = new ArrayList<>(List.of(COMMAND, experimentFile.toString(), "--trial", trial.id(),
                "--results-dir", resultsDir.toString(), "--max-trials", Long.toString(maxTrials)));
        if (provenance != null) {
            args.addAll(List.of("--provenance", provenance.toString()));
        }
        args.addAll(overrides);
        return new TrialCommand(Path.of(System.getProperty("java.home"), "bin", "java").toString(), jvmOptions(),
                System.getProperty("java.class.path"), mainClass, args, Map.of());
    }

    /**
     * This JVM's options (system properties such as the native-library choice, heap settings), less
     * debugging agents, which would fight over their ports; the console shows warnings only, since
     * the child's output is kept for a failure's record, not shown.
     */
    private static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-agentpath")
                    && !a.startsWith("-Xrunjdwp") && !a.startsWith("-Xdebug") && !a.startsWith("-DABLATE_CONSOLE_LEVEL")) {
                out.add(a);
            }
        }
        out.add("-DABLATE_CONSOLE_LEVEL=WARN");
        return out;
    }
}
