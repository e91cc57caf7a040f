package org.ablate.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.ablate.store.Json;
import org.ablate.store.MetricPoint;
import org.ablate.store.TrialFolder;

/** One trial's logged values of one step metric, read from its metrics.jsonl. */
final class StepHistory {

    private StepHistory() {
    }

    /** Step → value in step order (the last point wins if a step repeats); empty without a metrics file. */
    static TreeMap<Long, Double> read(TrialFolder folder, String metric) throws IOException {
        TreeMap<Long, Double> out = new TreeMap<>();
        Path file = folder.file(TrialFolder.METRICS);
        if (!Files.exists(file)) {
            return out;
        }
        String needle = "\"name\":" + Json.line(metric);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.contains(needle)) {
                    continue; // cheap filter before parsing: histories can be long
                }
                // a line cut by a crash reads as none
                MetricPoint.parse(line).filter(p -> metric.equals(p.name())).ifPresent(p -> out.put(p.step(), p.value()));
            }
        }
        return out;
    }
}
