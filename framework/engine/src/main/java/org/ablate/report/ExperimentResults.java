package org.ablate.report;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.StoreDamage;
import org.ablate.store.StoredTrial;
import org.ablate.store.SweepRecord;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;

/**
 * The trials of an experiment read from the results store, and the parameter names that vary
 * among them. By default the latest invocation's (the ids sweep.json lists, in sweep order):
 * trials of earlier invocations into the same folder may differ in their fixed parameters, so
 * they are left out unless asked for ({@code all}), and then every parameter that differs among
 * trials of the same swept values becomes a varying one. A trial that never started has a null state and only its swept
 * values as parameters. A damaged trial is kept (with its damage) but not counted as finished, so
 * no n silently shrinks.
 *
 * @param inFolder  trial folders in the experiment folder, whichever invocation wrote them
 * @param all       every trial of the folder, not only the latest invocation's
 * @param sweep     the latest invocation's sweep.json; {@link SweepRecord#absent()} when it is missing or unreadable
 * @param sweepDamage what is wrong with sweep.json when it is missing or unreadable, else null
 */
public record ExperimentResults(String experiment, List<String> varying, List<TrialResult> trials, int planned,
                                SweepRecord sweep, int inFolder, boolean all, String sweepDamage) {

    public static ExperimentResults read(ExperimentFolder folder) throws IOException {
        return read(folder, false);
    }

    public static ExperimentResults read(ExperimentFolder folder, boolean all) throws IOException {
        var sweepFile = folder.dir().resolve(ExperimentFolder.SWEEP);
        List<TrialFolder> folders = folder.trials();
        SweepRecord sweep = SweepRecord.absent();
        String sweepDamage = null;
        if (!Files.exists(sweepFile)) {
            if (folders.isEmpty()) {
                throw new IOException("no " + ExperimentFolder.SWEEP + " in " + folder.dir() + ": the experiment never ran");
            }
            sweepDamage = sweepFile + ": missing; the latest invocation is unknown, so every trial folder ("
                    + folders.size() + ") is read";
        } else {
            try {
                sweep = SweepRecord.read(sweepFile);
            } catch (StoreDamage e) {
                sweep = SweepRecord.absent();
                sweepDamage = e.getMessage() + "; the latest invocation is unknown, so every trial folder ("
                        + folders.size() + ") is read";
            }
        }
        boolean everyFolder = all || sweepDamage != null;

        // the planned trials first (sweep order), then with --all the folders of other invocations
        Map<String, SweepRecord.PlannedTrial> entries = new LinkedHashMap<>();
        sweep.trials().forEach(t -> entries.putIfAbsent(t.id(), t));
        Set<String> ids = new LinkedHashSet<>(entries.keySet());
        if (everyFolder) {
            folders.forEach(t -> ids.add(t.id()));
        }
        List<TrialResult> trials = new ArrayList<>();
        for (String id : ids) {
            trials.add(trial(folder.trial(id), entries.get(id)));
        }

        Set<String> varying = new LinkedHashSet<>(sweep.varying());
        if (everyFolder) {
            varying.addAll(differing(trials, Set.copyOf(varying)));
        }
        return new ExperimentResults(folder.name(), List.copyOf(varying), trials, trials.size(), sweep, folders.size(),
                everyFolder, sweepDamage);
    }

    /** A trial from its folder; from its sweep.json entry where it never started, or its config is the damaged file. */
    private static TrialResult trial(TrialFolder t, SweepRecord.PlannedTrial entry) {
        Map<String, Object> planned = entry != null ? entry.varying() : Map.of();
        long plannedSeed = entry != null ? entry.seed() : 0;
        StoredTrial stored = t.read();
        if (!stored.damaged() && stored.status() == null && !stored.hasConfig()) {
            return new TrialResult(t.id(), plannedSeed, planned, null, Map.of(), t, null); // not started
        }
        Map<String, Object> params = stored.hasConfig() ? stored.params() : planned;
        long seed = stored.seed().orElse(plannedSeed);
        if (stored.damaged()) {
            return new TrialResult(t.id(), seed, params, stored.state().orElse(null), Map.of(), t, stored.damage());
        }
        // a config without a status: the process died between the two writes
        TrialState state = stored.state().orElse(TrialState.RUNNING);
        return new TrialResult(t.id(), seed, params, state, stored.summary(), t, null);
    }

    /**
     * Parameter names whose values are not the same in every trial (a key some trials lack counts),
     * leaving out a component's own parameter that its component's value already determines:
     * quantizer.lookup_dim, set for vq-fc only, follows from quantizer and is no column (else a
     * baseline that sets quantizer: vq could never match a vq-fc configuration on it).
     */
    private static Set<String> differing(List<TrialResult> trials, Set<String> swept) {
        // a started trial's config holds every parameter; a trial that never started only its swept values
        List<TrialResult> started = trials.stream().filter(t -> t.state() != null || t.damage() != null).toList();
        Set<String> keys = new TreeSet<>(Comparator.comparingLong((String k) -> k.chars().filter(c -> c == '.').count())
                .thenComparing(Comparator.naturalOrder())); // a component before its own parameters
        trials.forEach(t -> keys.addAll(t.params().keySet()));
        keys.removeAll(swept);
        List<String> columns = new ArrayList<>(swept);
        Set<String> out = new TreeSet<>();
        for (String k : keys) {
            if (started.stream().map(t -> comparable(t.params().get(k))).distinct().count() < 2) {
                continue;
            }
            int dot = k.lastIndexOf('.');
            if (dot > 0 && columns.contains(k.substring(0, dot)) && determined(started, k, columns)) {
                continue;
            }
            out.add(k);
            columns.add(k);
        }
        return out;
    }

    /** True when trials that agree on every column agree on {@code key} too. */
    private static boolean determined(List<TrialResult> trials, String key, List<String> columns) {
        Map<List<Object>, Object> byColumns = new HashMap<>();
        for (TrialResult t : trials) {
            List<Object> at = columns.stream().map(c -> comparable(t.params().get(c))).toList();
            Object v = comparable(t.params().get(key));
            if (!byColumns.containsKey(at)) {
                byColumns.put(at, v);
            } else if (!Objects.equals(byColumns.get(at), v)) {
                return false;
            }
        }
        return true;
    }

    private static Object comparable(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : Objects.toString(v, null);
    }

    public List<TrialResult> finished() {
        return trials.stream().filter(TrialResult::finished).toList();
    }

    /** Trials left out of every number because a file of theirs is damaged. */
    public List<TrialResult> damaged() {
        return trials.stream().filter(t -> t.damage() != null).toList();
    }

    /**
     * One line on what these trials are, when it is not simply "every trial in the folder": the
     * latest invocation's N of M, or every folder because sweep.json is unusable. Empty otherwise.
     */
    public String scopeNote() {
        if (sweepDamage != null) {
            return "";
        }
        long latestInFolder = trials.stream().filter(t -> t.state() != null || t.damage() != null).count();
        if (!all && latestInFolder < inFolder) {
            return "latest invocation: " + latestInFolder + " trial(s) of " + inFolder + " in the folder; --all for every trial";
        }
        return "";
    }
}
