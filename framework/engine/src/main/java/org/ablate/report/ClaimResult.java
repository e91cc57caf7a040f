package org.ablate.report;

import java.util.List;
import org.ablate.experiment.ClaimSpec;

/**
 * A claim checked: the overall verdict and each comparison it made, with the numbers, and a
 * caveat ("" when none) that must travel with the verdict, e.g. trials it lost to damaged files.
 */
public record ClaimResult(ClaimSpec claim, Verdict verdict, List<Row> rows, String caveat) {

    public ClaimResult(ClaimSpec claim, Verdict verdict, List<Row> rows) {
        this(claim, verdict, rows, "");
    }

    /** One comparison: what was compared, the measured value(s), the threshold, and its verdict. */
    public record Row(String subject, String measured, String threshold, Verdict verdict, String note) {
    }

    /** The measured values in one line (for the summary table). */
    public String measuredSummary() {
        String caveated = caveat.isEmpty() ? "" : "; " + caveat;
        if (rows.size() == 1) {
            return rows.get(0).measured() + caveated;
        }
        long pass = rows.stream().filter(r -> r.verdict() == Verdict.PASS).count();
        return pass + " of " + rows.size() + " comparisons pass" + caveated;
    }
}
