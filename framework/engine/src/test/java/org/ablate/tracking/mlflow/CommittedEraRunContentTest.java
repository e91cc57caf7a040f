package org.ablate.tracking.mlflow;

import java.nio.file.Path;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.CommittedEraFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a sync would send to MLflow for a folder of the first committed writer is what it was before the typed records. */
class CommittedEraRunContentTest {

    @TempDir
    Path tmp;

    @Test
    void runContentIsAsBefore() throws Exception {
        Path results = CommittedEraFolder.copyTo(tmp);
        var folder = new ResultsStore(results).experiment(CommittedEraFolder.EXPERIMENT);
        StringBuilder b = new StringBuilder();
        b.append("parent params: ").append(ParentRunContent.params("monte-carlo-pi", ParentRunContent.trialParams(folder))).append('\n');
        for (TrialFolder t : folder.trials()) {
            TrialRunContent c = TrialRunContent.read(t);
            var history = c.history();
            long lastStep = history.isEmpty() ? 0 : history.get(history.size() - 1).getStep();
            b.append(c.trialId()).append(" task=").append(c.task()).append(" name=").append(c.runName())
                    .append(" start=").append(c.startMillis()).append(" end=").append(c.endMillis()).append(" user=").append(c.user())
                    .append(" state=").append(c.state()).append(" reason=").append(c.failureReason()).append('\n')
                    .append("  params ").append(c.params()).append('\n')
                    .append("  tags ").append(c.tags()).append('\n')
                    .append("  history ").append(history.size()).append(" points, last ").append(history.isEmpty() ? "-" : history.get(history.size() - 1)).append('\n')
                    .append("  summary ").append(c.summaryMetrics(lastStep)).append('\n')
                    .append("  artifacts ").append(c.artifacts().keySet()).append('\n');
        }
        CommittedEraFolder.assertAsBefore("mlflow-run-content.txt", b.toString(), results);
    }
}
