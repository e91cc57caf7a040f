package org.ablate.export;

import java.nio.file.Path;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.testing.CommittedEraFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The W&B export's manifest of a folder of the first committed writer is what it was before the typed records. */
class CommittedEraManifestTest {

    @TempDir
    Path tmp;

    @Test
    void manifestIsAsBefore() throws Exception {
        Path results = CommittedEraFolder.copyTo(tmp);
        var folder = new ResultsStore(results).experiment(CommittedEraFolder.EXPERIMENT);
        String manifest = Json.pretty(new WandbExport(folder, tmp.resolve("wandb")).manifest())
                .replace(tmp.toString(), "<tmp>")
                // over the files' paths too, so it differs with the temporary folder
                .replaceAll("\"fingerprint\" : \"[0-9a-f]{64}\"", "\"fingerprint\" : \"<sha-256>\"");
        CommittedEraFolder.assertAsBefore("wandb-manifest.json", manifest, results);
    }
}
