package org.ablate.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;

/**
 * A trial's progress as a file in its folder ({@code progress.json}: done, total, message), written
 * by a trial that runs in another process so that the sweep's display can follow it. Only trials
 * run by {@code ablate run-trial} write it; nothing reads it after the trial has ended.
 */
final class ProgressFile {

    static final String NAME = "progress.json";

    private ProgressFile() {
    }

    static void write(TrialFolder folder, TrialProgress progress) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("done", progress.done());
        m.put("total", progress.total());
        m.put("message", progress.message());
        Json.writeAtomically(folder.file(NAME), m);
    }

    /** Copies the file's figures into {@code progress}; a missing or half-written file changes nothing. */
    static void read(TrialFolder folder, TrialProgress progress) {
        Path file = folder.file(NAME);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Map<String, Object> m = Json.readMap(file);
            progress.total(((Number) m.get("total")).longValue());
            progress.update(((Number) m.get("done")).longValue());
            progress.message(String.valueOf(m.get("message")));
        } catch (IOException | RuntimeException ignored) {
            // written atomically, so only a file replaced by hand gets here: show the last figures
        }
    }
}
