package org.ablate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ablate.export.WandbExport;
import org.ablate.store.ExperimentFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes an experiment's trials in another tool's format; for now Weights & Biases offline runs. */
@Command(name = "export", mixinStandardHelpOptions = true, subcommands = ExportCommand.Wandb.class,
        description = "Writes an experiment's results in another tool's format (see: ablate export wandb --help).")
final class ExportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "wandb", mixinStandardHelpOptions = true,
            description = {"Writes one offline W&B run per trial (the official wandb library; needs `pip install wandb`), "
                    + "for `wandb sync`: the experiment is the project, the sweep invocation the group, typed config, "
                    + "history with the steps and recorded times, summary, the trial's files (and the report, with the "
                    + "first run). Safe to repeat: run ids are the trial ids, and an unchanged trial is left as it is."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the runs are written", "2:no such experiment, or a bad option",
                    "6:the output folder cannot be written", "7:python or its wandb package is missing"})
    static final class Wandb implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ExperimentArgument target;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the offline-run-* folders go (default: <results>/<experiment>/wandb).")
        Path out;

        @Option(names = "--python", paramLabel = "PYTHON", defaultValue = "${env:ABLATE_WANDB_PYTHON:-python3}",
                description = "The Python with the wandb package (default: $ABLATE_WANDB_PYTHON or python3).")
        String python;

        @Override
        public Integer call() throws Exception {
            ExperimentFolder folder = target.folder();
            Path dir = out != null ? out : folder.dir().resolve("wandb");
            return new WandbExport(folder, dir).run(python, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
