package org.ablate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ablate.report.ClaimResult;
import org.ablate.report.Report;
import org.ablate.report.Verdict;
import org.ablate.service.ExperimentService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks an experiment's claims against its results and prints each with PASS, FAIL or INCONCLUSIVE.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no claim failed (some may be inconclusive)", "1:a claim FAILED", "2:no results, or a bad claims section",
                "6:the results could not be read"})
final class VerifyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArgument target;

    @CommandLine.Mixin
    InvocationScope scope;

    @Override
    public Integer call() throws Exception {
        ExperimentService.LoadedExperiment loaded = new ExperimentService(spec.commandLine().getOut(), spec.commandLine().getErr())
                .load(target.experiment, target.folder());
        Report report;
        try {
            report = Report.build(loaded.spec(), loaded.folder(), scope.all);
        } catch (java.io.IOException e) {
            throw ExperimentService.notRead(loaded.folder(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        ExperimentService.warnDamage(report.results(), spec.commandLine().getErr());
        ExperimentService.printScope(report.results(), out);
        report.sweepNotes().forEach(out::println);
        if (report.claims().isEmpty()) {
            out.println(loaded.spec().name() + ": no claims declared");
            out.flush();
            return ExitCodes.OK;
        }
        for (ClaimResult c : report.claims()) {
            out.printf("%-12s %s%n", c.verdict(), c.claim().name() + (c.claim().source() == null ? "" : " [" + c.claim().source() + "]"));
            out.printf("             paper: %s%n", c.claim().paper() == null ? "-" : c.claim().paper());
            for (ClaimResult.Row row : c.rows()) {
                out.printf("             %-12s %s: %s (%s)%s%n", row.verdict(), row.subject(), row.measured(), row.threshold(),
                        row.note().isEmpty() ? "" : "; " + row.note());
            }
            if (!c.caveat().isEmpty()) {
                out.printf("             note: %s%n", c.caveat());
            }
        }
        long fail = report.claims().stream().filter(c -> c.verdict() == Verdict.FAIL).count();
        long pass = report.claims().stream().filter(c -> c.verdict() == Verdict.PASS).count();
        int damaged = report.results().damaged().size();
        out.printf("%s: %d claim(s): %d PASS, %d FAIL, %d INCONCLUSIVE%s%n", loaded.spec().name(), report.claims().size(), pass, fail,
                report.claims().size() - pass - fail, damaged == 0 ? "" : "; " + damaged + " trial(s) skipped as damaged");
        out.flush();
        return fail > 0 ? ExitCodes.TRIALS_FAILED : ExitCodes.OK;
    }
}
