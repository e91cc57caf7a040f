package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ablate.report.ClaimResult;
import org.ablate.report.Configuration;
import org.ablate.report.Report;
import org.ablate.report.Stat;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;

/**
 * What a sweep's parent run shows in MLflow's runs table, so that its row says something: params =
 * the task, the number of trials and every parameter all trials share (the swept ones and the seed
 * are the children's); at the end, metrics {@code trials/finished|failed|interrupted}; with the
 * report, a tag {@code ablate.claim.<name>} = PASS / FAIL / INCONCLUSIVE per claim and a metric
 * {@code mean/<headline>/<configuration>} per configuration.
 */
final class ParentRunContent {

    static final String CLAIM_TAG_PREFIX = "ablate.claim.";
    static final String MEAN_PREFIX = "mean/";
    /** What MLflow accepts in a metric or tag key (on every server OS but Windows, which refuses ':'). */
    private static final Pattern KEY_CHARACTER_NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_.\\- :]");
    private static final int MAX_KEY = 250;

    private ParentRunContent() {
    }

    /**
     * The params every one of these trials shares (each map: a trial's resolved parameters), plus
     * task and trial count. One pass keeping only the common entries: a plan may be large.
     */
    static List<Param> params(String task, Iterable<Map<String, Object>> trials) {
        Map<String, Object> common = null;
        int n = 0;
        for (Map<String, Object> t : trials) {
            n++;
            if (common == null) {
                common = new LinkedHashMap<>(t);
            } else {
                common.entrySet().removeIf(e -> !t.containsKey(e.getKey()) || !Objects.equals(t.get(e.getKey()), e.getValue()));
            }
        }
        List<Param> out = new ArrayList<>();
        out.add(RunBatches.param("task", task));
        out.add(RunBatches.param("trials", Integer.toString(n)));
        if (common != null) {
            common.forEach((k, v) -> {
                if (!k.equals("task") && !k.equals("trials")) { // a parameter of that name: the child runs have it
                    out.add(RunBatches.param(k, TrialRunContent.paramValue(v)));
                }
            });
        }
        return out;
    }

    /** The resolved parameters of every trial folder (for a sync, which has no plan). */
    static List<Map<String, Object>> trialParams(ExperimentFolder folder) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TrialFolder t : folder.trials()) {
            try {
                out.add(new LinkedHashMap<>(t.readConfig().params()));
            } catch (IOException | RuntimeException unreadable) {
                // a damaged config.json: that trial cannot say what it shares
            }
        }
        return out;
    }

    /** Counts of the invocation's trials by how they ended, as metrics at {@code millis}. */
    static List<Metric> outcome(ExperimentFolder folder, String invocationId, long millis) throws IOException {
        Map<TrialState, Integer> counts = new LinkedHashMap<>();
        for (TrialState s : List.of(TrialState.FINISHED, TrialState.FAILED, TrialState.INTERRUPTED)) {
            counts.put(s, 0);
        }
        for (TrialFolder t : folder.trials()) {
            if (SyncState.read(t).filter(s -> s.invocation().id().equals(invocationId)).isPresent()) {
                t.status().map(TrialStatus::state).filter(counts::containsKey).ifPresent(s -> counts.merge(s, 1, Integer::sum));
            }
        }
        List<Metric> out = new ArrayList<>();
        counts.forEach((state, n) -> out.add(RunBatches.metric("trials/" + state.name().toLowerCase(java.util.Locale.ROOT),
                n, millis, 0)));
        return out;
    }

    /** The claims' verdicts as tags (one per key, should two names map to the same key). */
    static List<RunTag> claims(Report report) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (ClaimResult c : report.claims()) {
            tags.put(key(CLAIM_TAG_PREFIX, c.claim().name()), c.verdict().name());
        }
        List<RunTag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(RunBatches.tag(k, v)));
        return out;
    }

    /** The headline's mean per configuration (none without a headline). */
    static List<Metric> headlineMeans(Report report, long millis) {
        List<Metric> out = new ArrayList<>();
        String headline = report.experiment().headline();
        if (headline == null) {
            return out;
        }
        for (Configuration c : report.configurations()) {
            Stat s = c.metrics().get(headline);
            if (s != null && s.n() > 0) {
                // '=' and ',' are not allowed in a key, and a '/' in a value would read as another level
                out.add(RunBatches.metric(key(MEAN_PREFIX + key("", headline) + "/", c.label().replace('=', ':').replace('/', '_')),
                        s.mean(), millis, 0));
            }
        }
        return out;
    }

    /** {@code prefix + name} within MLflow's key rules: other characters become '_', cut to 250. */
    static String key(String prefix, String name) {
        String k = prefix + KEY_CHARACTER_NOT_ALLOWED.matcher(name.replace('/', '_')).replaceAll("_");
        return k.length() <= MAX_KEY ? k : k.substring(0, MAX_KEY);
    }
}
