package org.ablate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ablate.config.Values;
import org.ablate.report.ExperimentResults;
import org.ablate.report.TrialResult;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.StoredTrial;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.tracking.mlflow.SyncState;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows an experiment's trials: id, the parameters that vary among them, seed, status, duration, "
                + "headline metric. Covers the latest invocation (the last `ablate run` into the folder) unless --all.",
                "A trial with a damaged file (truncated or not JSON, a missing field) is shown DAMAGED with the file named "
                        + "on stderr; `ablate run` runs it again."})
final class StatusCommand implements Callable<Integer> {

    private static final String DAMAGED = "DAMAGED";
    private static final String NOT_STARTED = "NOT STARTED";
    /** After the state of a trial shown from its staged attempt, which `ablate run` has not committed yet. */
    private static final String STAGED = " (staged)";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArgument target;

    @CommandLine.Mixin
    InvocationScope scope;

    @Override
    public Integer call() throws IOException {
        String name = target.name();
        ExperimentFolder folder = target.folder();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(folder.dir().resolve(ExperimentFolder.SWEEP)) && folder.trials().isEmpty()) {
            out.println("0 trial(s): none");
            // attempts that ran (run-trial --attempt) before any sweep into this folder
            int finished = 0;
            for (String id : folder.stagedTrials()) {
                finished += stagedAttempt(folder, id).filter(StoredTrial::finished).isPresent() ? 1 : 0;
            }
            stagedLine(finished).ifPresent(out::println);
            out.flush();
            return ExitCodes.OK;
        }
        ExperimentResults results = ExperimentResults.read(folder, scope.all);
        if (results.sweepDamage() != null) {
            err.println("ablate: warning: " + results.sweepDamage());
        }
        String headline = results.sweep().headline();
        Set<String> planned = plannedIds(results);
        List<String> header = new ArrayList<>(List.of("ID"));
        header.addAll(results.varying());
        header.addAll(List.of("SEED", "STATUS", "DURATION", headline == null ? "HEADLINE" : headline.toUpperCase(Locale.ROOT)));
        TextTable table = new TextTable(header);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TrialState s : TrialState.values()) {
            counts.put(s.name(), 0);
        }
        for (TrialState s : TrialState.values()) {
            counts.put(s.name() + STAGED, 0);
        }
        int unsynced = 0;
        int stagedFinished = 0;
        for (TrialResult t : results.trials()) {
            StoredTrial stored = t.folder().read();
            String state = t.damage() != null ? DAMAGED : t.state() == null ? NOT_STARTED : t.state().name();
            if (t.damage() != null) {
                err.println("ablate: warning: " + t.damage() + "; trial " + t.id() + " counts as not finished (ablate run re-runs it)");
            }
            Optional<StoredTrial> staged = t.finished() ? Optional.empty() : stagedAttempt(folder, t.id());
            if (staged.isPresent()) {
                // a cluster task's attempt (a detached submission's, still running or not yet committed)
                stored = staged.get();
                state = stored.state().orElse(TrialState.RUNNING).name() + STAGED;
                stagedFinished += stored.finished() ? 1 : 0;
            }
            counts.merge(state, 1, Integer::sum);
            List<String> row = new ArrayList<>(List.of(t.id()));
            results.varying().forEach(k -> row.add(t.params().containsKey(k) ? Values.format(t.params().get(k)) : "-"));
            row.add(stored.seed().map(String::valueOf).orElse(planned.contains(t.id()) ? String.valueOf(t.seed()) : "-"));
            row.add(state);
            row.add(stored.durationSeconds().map(d -> String.format(Locale.ROOT, "%.1fs", d)).orElse("-"));
            row.add(staged.isPresent() ? stagedCell(stored, headline) : lastCell(t, stored, headline));
            table.add(row);
            if (SyncState.read(t.folder()).map(st -> !st.synced()).orElse(false)) {
                unsynced++;
            }
        }
        out.print(table.render());
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> {
            if (n > 0) {
                parts.add(n + " " + s + (s.equals(DAMAGED) ? " (skipped: a damaged file, named above; ablate run re-runs them)" : ""));
            }
        });
        if (unsynced > 0) {
            parts.add(unsynced + " not yet in MLflow (ablate sync " + name + ")");
        }
        out.println(results.trials().size() + " trial(s): " + (parts.isEmpty() ? "none" : String.join(", ", parts)));
        stagedLine(stagedFinished).ifPresent(out::println);
        if (!results.scopeNote().isEmpty()) {
            out.println(results.scopeNote());
        }
        queueLines(results.sweep().launcher(), folder).forEach(out::println);
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /**
     * What the sweep's launcher's scheduler says about trials it still has (a detached Slurm
     * submission); nothing for the built-in launchers, whose trials end with the invocation.
     */
    private static List<String> queueLines(String launcher, ExperimentFolder folder) {
        if (launcher == null || launcher.equals(org.ablate.launch.InProcessLauncher.NAME)
                || launcher.equals(org.ablate.launch.ProcessLauncher.NAME)) {
            return List.of();
        }
        try {
            org.ablate.spi.ComponentRegistry registry = org.ablate.plugin.PluginRuntime.start().registry();
            if (registry.find(org.ablate.spi.launch.Launcher.class, launcher).isEmpty()) {
                return List.of();
            }
            return registry.create(org.ablate.spi.launch.Launcher.class, launcher).queue(folder.dir());
        } catch (RuntimeException e) {
            return List.of("(cannot ask launcher '" + launcher + "' about its queue: " + e.getMessage() + ")");
        }
    }

    private static Optional<String> stagedLine(int finished) {
        return finished == 0 ? Optional.empty() : Optional.of(finished + " trial(s) FINISHED in " + ExperimentFolder.STAGING
                + "/ but not yet committed: the next `ablate run` commits them (until then reports, sync and resume do"
                + " not count them)");
    }

    /**
     * The trial's attempt staged by a cluster task ({@code .staging/<id>/<attempt>/}), when its
     * committed folder holds no FINISHED trial: a FINISHED attempt, else the one active last.
     */
    private static Optional<StoredTrial> stagedAttempt(ExperimentFolder folder, String id) {
        List<TrialFolder> attempts;
        try {
            attempts = folder.stagedAttempts(id);
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        return attempts.stream()
                .filter(a -> a.exists() && (Files.exists(a.file(TrialFolder.STATUS)) || Files.exists(a.file(TrialFolder.CONFIG))))
                .max(Comparator.comparing(TrialFolder::isFinished).thenComparing(StatusCommand::lastActive))
                .map(TrialFolder::read);
    }

    private static FileTime lastActive(TrialFolder attempt) {
        try {
            return Files.getLastModifiedTime(attempt.dir());
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    /** The headline of a staged FINISHED attempt; why a staged attempt ended otherwise; "-" while it runs. */
    private static String stagedCell(StoredTrial attempt, String headline) {
        if (attempt.damaged()) {
            return shorten(attempt.damage());
        }
        if (attempt.finished()) {
            return headlineCell(attempt.summary(), headline);
        }
        return attempt.status() != null && attempt.status().state() != TrialState.RUNNING ? shorten(attempt.status().reason()) : "-";
    }

    private static Set<String> plannedIds(ExperimentResults results) {
        return new java.util.HashSet<>(results.sweep().plannedIds());
    }

    /** The headline value of a finished trial; why it ended for a failed one; what is wrong for a damaged one. */
    private static String lastCell(TrialResult t, StoredTrial stored, String headline) {
        if (t.damage() != null) {
            String prefix = t.folder().dir() + java.io.File.separator;
            return shorten(t.damage().startsWith(prefix) ? t.damage().substring(prefix.length()) : t.damage());
        }
        if (t.state() != null && t.state() != TrialState.FINISHED && t.state() != TrialState.RUNNING && stored.status() != null) {
            return shorten(stored.status().reason());
        }
        if (t.state() == TrialState.RUNNING && stored.status() != null && !stillRunning(stored.status())) {
            return "pid " + stored.status().pid().getAsLong() + " has ended (killed?): ablate run re-runs it";
        }
        return headlineCell(t.summary(), headline);
    }

    /** The headline metric's value, else the first summary value with its name; "-" without a summary. */
    private static String headlineCell(Map<String, Double> summary, String headline) {
        if (summary.isEmpty()) {
            return "-";
        }
        String key = headline != null && summary.containsKey(headline) ? headline : summary.keySet().iterator().next();
        String value = String.format(Locale.ROOT, "%.6g", summary.get(key));
        return headline != null && key.equals(headline) ? value : key + "=" + value;
    }

    /**
     * False only when the recorded process is known to be gone: same host, and no such pid (kill -9
     * or a power cut leaves RUNNING on disk). Another host's trial, or no pid, is taken at its word.
     */
    private static boolean stillRunning(org.ablate.store.TrialStatus status) {
        if (status.pid().isEmpty() || !org.ablate.provenance.Provenance.hostName().equals(status.host())) {
            return true;
        }
        return ProcessHandle.of(status.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
