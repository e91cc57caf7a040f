package org.ablate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ablate.config.ConfigException;
import org.ablate.config.Values;
import org.ablate.experiment.ExperimentParser;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.tracking.mlflow.SyncState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows an experiment's trials: id, key parameters, status, duration, headline metric.")
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArgument target;

    @Override
    public Integer call() throws IOException {
        String name = target.name();
        ExperimentFolder folder = target.folder();
        Map<String, Object> sweep = Files.exists(folder.dir().resolve(ExperimentFolder.SWEEP))
                ? Json.readMap(folder.dir().resolve(ExperimentFolder.SWEEP)) : Map.of();
        String headline = (String) sweep.get("headline");
        List<String> keys = new ArrayList<>();
        if (sweep.get("varying") instanceof List<?> v) {
            v.forEach(k -> keys.add(String.valueOf(k)));
        }
        List<String> header = new ArrayList<>(List.of("ID"));
        header.addAll(keys);
        header.addAll(List.of("SEED", "STATUS", "DURATION", headline == null ? "HEADLINE" : headline.toUpperCase(Locale.ROOT)));
        TextTable table = new TextTable(header);
        Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
        for (TrialFolder trial : inSweepOrder(folder.trials(), sweep)) {
            Optional<TrialStatus> status = trial.status();
            Map<String, Object> config = readOrEmpty(trial.file(TrialFolder.CONFIG));
            Map<String, Object> summary = readOrEmpty(trial.file(TrialFolder.SUMMARY));
            @SuppressWarnings("unchecked")
            Map<String, Object> params = config.get("params") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            List<String> row = new ArrayList<>(List.of(trial.id()));
            keys.forEach(k -> row.add(params.containsKey(k) ? Values.format(params.get(k)) : "-"));
            row.add(String.valueOf(config.getOrDefault("seed", "-")));
            String state = status.map(s -> s.state().name()).orElse("UNKNOWN");
            status.ifPresent(s -> counts.merge(s.state(), 1, Integer::sum));
            row.add(state);
            row.add(config.get("duration_s") instanceof Number d ? String.format(Locale.ROOT, "%.1fs", d.doubleValue()) : "-");
            row.add(headlineCell(summary, headline, status));
            table.add(row);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(table.render());
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> parts.add(n + " " + s));
        long unsynced = folder.trials().stream().filter(t -> SyncState.read(t).map(st -> !st.synced()).orElse(false)).count();
        if (unsynced > 0) {
            parts.add(unsynced + " not yet in MLflow (ablate sync " + name + ")");
        }
        out.println(folder.trials().size() + " trial(s): " + (parts.isEmpty() ? "none" : String.join(", ", parts)));
        out.flush();
        return ExitCodes.OK;
    }

    /** The latest sweep's order (as --dry-run lists it), then trials of earlier invocations by id. */
    private static List<TrialFolder> inSweepOrder(List<TrialFolder> trials, Map<String, Object> sweep) {
        Map<String, Integer> order = new java.util.HashMap<>();
        if (sweep.get("trials") instanceof List<?> list) {
            for (Object t : list) {
                if (t instanceof Map<?, ?> m) {
                    order.putIfAbsent(String.valueOf(m.get("id")), order.size());
                }
            }
        }
        List<TrialFolder> sorted = new ArrayList<>(trials);
        sorted.sort(java.util.Comparator.comparing((TrialFolder t) -> order.getOrDefault(t.id(), Integer.MAX_VALUE))
                .thenComparing(TrialFolder::id));
        return sorted;
    }

    private static String headlineCell(Map<String, Object> summary, String headline, Optional<TrialStatus> status) {
        if (status.isPresent() && status.get().state() != TrialState.FINISHED && status.get().state() != TrialState.RUNNING) {
            String reason = status.get().reason();
            return reason.length() > 60 ? reason.substring(0, 57) + "..." : reason;
        }
        if (summary.isEmpty()) {
            return "-";
        }
        String key = headline != null && summary.containsKey(headline) ? headline : summary.keySet().iterator().next();
        String value = String.format(Locale.ROOT, "%.6g", Json.toDouble(summary.get(key)));
        return headline != null && key.equals(headline) ? value : key + "=" + value;
    }

    private static Map<String, Object> readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Json.readMap(file) : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }
}
