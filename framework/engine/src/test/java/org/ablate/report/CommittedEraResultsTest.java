package org.ablate.report;

import java.nio.file.Path;
import java.util.TreeMap;
import org.ablate.store.ResultsStore;
import org.ablate.store.StoredTrial;
import org.ablate.store.TrialFolder;
import org.ablate.testing.CommittedEraFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results and stored trials read from a folder of the first committed writer are what they were before the typed records. */
class CommittedEraResultsTest {

    @TempDir
    Path tmp;

    @Test
    void experimentResultsAndStoredTrialsAreAsBefore() throws Exception {
        Path results = CommittedEraFolder.copyTo(tmp);
        var folder = new ResultsStore(results).experiment(CommittedEraFolder.EXPERIMENT);
        StringBuilder b = new StringBuilder();
        for (boolean all : new boolean[] {false, true}) {
            ExperimentResults r = ExperimentResults.read(folder, all);
            b.append("all=").append(all).append(" experiment=").append(r.experiment()).append(" varying=").append(r.varying())
                    .append(" planned=").append(r.planned()).append(" inFolder=").append(r.inFolder()).append(" everyFolder=")
                    .append(r.all()).append(" sweepDamage=").append(r.sweepDamage()).append(" scope=").append(r.scopeNote()).append('\n');
            for (TrialResult t : r.trials()) {
                b.append("  ").append(t.id()).append(" seed=").append(t.seed()).append(" params=").append(new TreeMap<>(t.params()))
                        .append(" state=").append(t.state()).append(" summary=").append(t.summary()).append(" damage=")
                        .append(t.damage()).append('\n');
            }
        }
        for (TrialFolder t : folder.trials()) {
            StoredTrial s = t.read();
            b.append(t.id()).append(" finished=").append(s.finished()).append(" state=").append(s.state().orElse(null))
                    .append(" seed=").append(s.seed().orElse(null)).append(" params=").append(s.params())
                    .append(" status=").append(s.status() == null ? null : s.status().fields().keySet())
                    .append(" reason=").append(s.status() == null ? null : s.status().reason())
                    .append(" summary=").append(s.summary()).append(" damage=").append(s.damage()).append('\n');
        }
        CommittedEraFolder.assertAsBefore("results.txt", b.toString(), results);
    }
}
