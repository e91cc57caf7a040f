package org.ablate.report;

import static org.ablate.report.ResultsFixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.store.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --all, which parameters that differ between invocations become columns of the report. */
class AllInvocationsColumnsTest {

    @TempDir
    Path tmp;

    @Test
    void aComponentsOwnParameterIsAColumnOnlyWhereItsComponentDoesNotDetermineIt() throws Exception {
        ResultsFixture f = new ResultsFixture(tmp, "cols", "quantizer", "k");
        f.trial(values("quantizer", "vq", "k", 4L, "steps", 3000L), 0, TrialState.FINISHED, values("u", 0.1));
        f.trial(values("quantizer", "simvq", "k", 4L, "steps", 3000L, "quantizer.bias", true), 0, TrialState.FINISHED,
                values("u", 0.9));
        f.writeSweep();
        // earlier invocations into the same folder: another budget, and vq-fc at two lookup sizes
        f.strayTrial(values("quantizer", "vq", "k", 4L, "steps", 200L), 0, values("u", 0.2));
        f.strayTrial(values("quantizer", "vq-fc", "k", 4L, "steps", 3000L, "quantizer.lookup_dim", 8L), 0, values("u", 0.3));
        f.strayTrial(values("quantizer", "vq-fc", "k", 4L, "steps", 3000L, "quantizer.lookup_dim", 4L), 0, values("u", 0.4));

        assertEquals(List.of("quantizer", "k"), ExperimentResults.read(f.folder()).varying());
        ExperimentResults all = ExperimentResults.read(f.folder(), true);
        // quantizer.bias is set for simvq only: it follows from quantizer; lookup_dim takes two values within vq-fc
        assertEquals(List.of("quantizer", "k", "quantizer.lookup_dim", "steps"), all.varying());

        List<Configuration> configurations = Configuration.aggregate(all);
        assertEquals(5, configurations.size());
        Configuration simvq = configurations.stream().filter(c -> c.values().get("quantizer").equals("simvq")).findFirst().orElseThrow();
        // a baseline that sets quantizer: vq pairs with it on every other column
        Map<String, Object> same = new java.util.LinkedHashMap<>(simvq.values());
        same.remove("quantizer");
        List<Configuration> vq = configurations.stream().filter(c -> c.values().get("quantizer").equals("vq") && c.matches(same)).toList();
        assertEquals(1, vq.size(), configurations.toString());
        assertEquals(3000.0, ((Number) vq.get(0).values().get("steps")).doubleValue());
    }

    @Test
    void aTopLevelParameterThatDiffersIsAlwaysAColumn() throws Exception {
        ResultsFixture f = new ResultsFixture(tmp, "top", "quantizer");
        f.trial(values("quantizer", "vq", "steps", 3000L, "eval_every", 250L), 0, TrialState.FINISHED, values("u", 0.1));
        f.writeSweep();
        f.strayTrial(values("quantizer", "vq", "steps", 200L, "eval_every", 50L), 0, values("u", 0.2));
        // eval_every follows from steps here, but both are the user's own settings: both are shown
        assertEquals(List.of("quantizer", "eval_every", "steps"), ExperimentResults.read(f.folder(), true).varying());
    }
}
