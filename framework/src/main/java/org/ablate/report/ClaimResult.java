package org.ablate.report;

import java.util.List;

/** A claim checked: the overall verdict and each comparison it made, with the numbers. */
public record ClaimResult(ClaimSpec claim, Verdict verdict, List<Row> rows) {

    /** One comparison: what was compared, the measured value(s), the threshold, and its verdict. */
    public record Row(String subject, String measured, String threshold, Verdict verdict, String note) {
    }

    /** The measured values in one line (for the summary table). */
    public String measuredSummary() {
        if (rows.size() == 1) {
            return rows.get(0).measured();
        }
        long pass = rows.stream().filter(r -> r.verdict() == Verdict.PASS).count();
        return pass + " of " + rows.size() + " comparisons pass";
    }
}
