package org.ablate.cli;

import org.ablate.testing.InProcessCli;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.testing.CommittedEraFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status and report print and write for a folder of the first committed writer what they did before the typed records. */
class CommittedEraCliTest {

    @TempDir
    Path tmp;

    @Test
    void statusOfACommittedEraFolderIsAsBefore() throws Exception {
        Path results = CommittedEraFolder.copyTo(tmp);
        for (String scope : new String[] {"", "--all"}) {
            InProcessCli.Result status = scope.isEmpty()
                    ? InProcessCli.run("status", CommittedEraFolder.EXPERIMENT, "--results-dir", results.toString())
                    : InProcessCli.run("status", CommittedEraFolder.EXPERIMENT, scope, "--results-dir", results.toString());
            assertEquals(ExitCodes.OK, status.code(), status.err());
            CommittedEraFolder.assertAsBefore("status" + scope + ".txt", status.out() + "--- stderr\n" + status.err(), results);
        }
    }

    @Test
    void reportOfACommittedEraFolderIsAsBefore() throws Exception {
        Path results = CommittedEraFolder.copyTo(tmp);
        Path report = results.resolve(CommittedEraFolder.EXPERIMENT).resolve("report");
        for (String scope : new String[] {"", "--all"}) {
            InProcessCli.Result r = scope.isEmpty()
                    ? InProcessCli.run("report", CommittedEraFolder.EXPERIMENT, "--results-dir", results.toString())
                    : InProcessCli.run("report", CommittedEraFolder.EXPERIMENT, scope, "--results-dir", results.toString());
            assertEquals(ExitCodes.OK, r.code(), r.err());
            CommittedEraFolder.assertAsBefore("report" + scope + ".txt", r.out() + "--- stderr\n" + r.err(), results);
            for (String file : new String[] {"report.md", "aggregates.csv"}) {
                CommittedEraFolder.assertAsBefore("report" + scope + "-" + file, Files.readString(report.resolve(file)), results);
            }
        }
    }
}
