package org.ablate.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The job arrays submitted for an experiment, kept in {@code <experiment>/slurm/jobs.tsv} (one
 * line per array: job id, batch script, the trial ids in array order), so that a later {@code ablate
 * run} can attach to tasks still queued or running and {@code ablate status} can ask squeue about them.
 */
final class SubmittedJobs {

    static final String FILE = "jobs.tsv";

    record Job(String id, String script, List<String> trials) {
    }

    private SubmittedJobs() {
    }

    static List<Job> read(Path slurmDir) {
        Path file = slurmDir.resolve(FILE);
        List<Job> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 3 && f[0].matches("[0-9]+")) {
                    out.add(new Job(f[0], f[1], List.of(f[2].split(","))));
                }
            }
        } catch (IOException unreadable) {
            // nothing to attach to: what is missing is submitted again
        }
        return out;
    }

    /** Adds a job (the whole file is rewritten and renamed into place: a reader never sees half a line). */
    static void add(Path slurmDir, Job job) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Job j : read(slurmDir)) {
            s.append(line(j));
        }
        s.append(line(job));
        Path tmp = slurmDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, s.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, slurmDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String line(Job j) {
        return j.id() + "\t" + j.script() + "\t" + String.join(",", j.trials()) + "\n";
    }
}
