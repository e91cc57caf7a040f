package org.ablate.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ClaimSpec;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.junit.jupiter.api.Test;

/** The report and claims sections are read once, with the rest of the file, into the typed spec every command uses. */
class ExperimentSectionsTest {

    @Test
    void theSectionsAreTypedInTheParsedFile() {
        ExperimentSpec spec = ExperimentParser.parse("""
                task: probe
                sweep: {grid: {x: [1, 2]}}
                report: {plots: [{metric: result, x: x}]}
                claims: [{name: grows, check: increasing, metric: result, along: x}]
                """, "e.yaml", "e");
        assertEquals("result", spec.report().plots().get(0).metric());
        assertEquals(ClaimSpec.Kind.INCREASING, spec.report().claims().get(0).kind());
    }

    /** Failed before: the claims were read only when a run or a report asked, so a file's other problem hid this one. */
    @Test
    void aBadClaimIsReportedWithTheFilesOtherProblems() {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentParser.parse("""
                task: probe
                sweeep: {grid: {x: [1, 2]}}
                claims: [{check: growing, metric: result, along: x}]
                """, "e.yaml", "e"));
        List<String> problems = e.all().stream().map(ConfigException::getMessage).toList();
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("e.yaml:3: claims[0].check: unknown check 'growing' (accepted: at_least, at_most, within, decreasing, "
                + "increasing, ratio_at_least, ratio_at_most)", problems.get(1));
    }
}
