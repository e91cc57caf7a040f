package org.ablate.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ablate.config.Values;
import org.ablate.experiment.ClaimSpec;
import org.ablate.store.AtomicFiles;
import org.ablate.store.TrialState;

/**
 * Writes a report into {@code <experiment>/report/}: report.md (claims with the paper's values
 * beside the measured ones, plots, a table per metric), aggregates.csv (every metric of every
 * configuration: n, mean, std, 95% CI), claims.csv, and a PNG with its CSV per plot. Every file
 * is written atomically.
 */
public final class ReportWriter {

    public static final String FOLDER = "report";

    private ReportWriter() {
    }

    /** Writes the files and returns them (report.md first). */
    public static List<Path> write(Report r, Path experimentDir) throws IOException {
        Path dir = experimentDir.resolve(FOLDER);
        Files.createDirectories(dir); // the caller says "report not written" with the reason
        List<Path> files = new ArrayList<>();
        List<String> plotFiles = new ArrayList<>();
        for (int i = 0; i < r.plots().size(); i++) {
            PlotData p = r.plots().get(i);
            String base = "plot-" + (i + 1) + "-" + slug(r.plotSpecs().get(i).metric() + "-vs-" + r.plotSpecs().get(i).x());
            Path png = dir.resolve(base + ".png");
            AtomicFiles.write(png, PlotRenderer.png(p));
            Path csv = dir.resolve(base + ".csv");
            AtomicFiles.writeString(csv, plotCsv(p));
            plotFiles.add(base + ".png");
            files.add(png);
            files.add(csv);
        }
        Path aggregates = dir.resolve("aggregates.csv");
        AtomicFiles.writeString(aggregates, aggregatesCsv(r));
        files.add(0, aggregates);
        if (!r.claims().isEmpty()) {
            Path claims = dir.resolve("claims.csv");
            AtomicFiles.writeString(claims, claimsCsv(r));
            files.add(0, claims);
        }
        Path md = dir.resolve("report.md");
        AtomicFiles.writeString(md, markdown(r, plotFiles));
        files.add(0, md);
        removeStale(dir, files);
        return files;
    }

    /** Deletes plots and a claims.csv left by an earlier report that this one did not write (their numbers differ). */
    private static void removeStale(Path dir, List<Path> written) throws IOException {
        List<Path> stale;
        try (var children = Files.list(dir)) {
            stale = children.filter(p -> {
                String name = p.getFileName().toString();
                return (name.matches("plot-\\d+-.*\\.(png|csv)") || name.equals("claims.csv")) && !written.contains(p);
            }).toList();
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
    }

    static String markdown(Report r, List<String> plotFiles) {
        StringBuilder b = new StringBuilder();
        var e = r.experiment();
        b.append("# ").append(e.name()).append("\n\n");
        if (!e.description().isBlank()) {
            b.append(e.description().strip()).append("\n\n");
        }
        ExperimentResults res = r.results();
        long finished = res.finished().size();
        long damaged = res.damaged().size();
        long failed = res.trials().stream().filter(t -> t.damage() == null && t.state() == TrialState.FAILED).count();
        long interrupted = res.trials().stream().filter(t -> t.damage() == null && t.state() == TrialState.INTERRUPTED).count();
        b.append("Task `").append(e.taskName()).append("`; ").append(res.planned()).append(" trials planned: ")
                .append(finished).append(" finished, ").append(failed).append(" failed, ").append(interrupted)
                .append(" interrupted, ").append(res.trials().stream().filter(t -> t.damage() == null && t.state() == null).count())
                .append(" not started").append(damaged == 0 ? "" : ", " + damaged + " skipped as damaged (a file of theirs is "
                        + "unreadable: `ablate status` names it, `ablate run` re-runs them)").append(". ")
                .append(r.configurations().size()).append(" configurations; statistics over seeds: mean, sample "
                        + "standard deviation, 95% Student-t confidence interval of the mean.\n\n");
        if (!res.scopeNote().isEmpty()) {
            b.append("Covers the ").append(res.scopeNote().replace("--all", "`ablate report --all`")).append(".\n\n");
        } else if (res.sweepDamage() != null) {
            b.append("Covers every trial folder: ").append(res.sweepDamage()).append(".\n\n");
        }
        provenance(res).forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append('\n');
        if (!r.notes().isEmpty()) {
            b.append("This invocation's sweep differs from the file's:\n\n");
            r.notes().forEach(n -> b.append("- ").append(n).append('\n'));
            b.append('\n');
        }

        if (!r.claims().isEmpty()) {
            long pass = r.claims().stream().filter(c -> c.verdict() == Verdict.PASS).count();
            long fail = r.claims().stream().filter(c -> c.verdict() == Verdict.FAIL).count();
            b.append("## Claims: ").append(pass).append(" PASS, ").append(fail).append(" FAIL, ")
                    .append(r.claims().size() - pass - fail).append(" INCONCLUSIVE\n\n");
            b.append("| Claim | Verdict | Paper | Measured here | Source |\n|---|---|---|---|---|\n");
            for (ClaimResult c : r.claims()) {
                b.append("| ").append(cell(c.claim().name())).append(" | **").append(c.verdict()).append("** | ")
                        .append(cell(orDash(c.claim().paper()))).append(" | ").append(cell(c.measuredSummary())).append(" | ")
                        .append(cell(orDash(c.claim().source()))).append(" |\n");
            }
            b.append('\n');
            for (ClaimResult c : r.claims()) {
                ClaimSpec s = c.claim();
                b.append("### ").append(s.name()).append(": ").append(c.verdict()).append("\n\n");
                b.append("`").append(s.kind().yamlName()).append("` on `").append(s.metric()).append('`');
                if (!s.where().isEmpty()) {
                    b.append(" where ").append(new Configuration(s.where(), 0, 0, Map.of()).label());
                }
                if (s.along() != null) {
                    b.append(" along `").append(s.along()).append('`').append(s.monotone() ? " (at every step)" : " (first vs last)");
                }
                if (s.baseline() != null) {
                    b.append(" against ").append(new Configuration(s.baseline(), 0, 0, Map.of()).label());
                }
                if (s.curve() != null) {
                    b.append("; each trial's value from its step curve: `").append(s.curve().yamlName()).append("` = ")
                            .append(s.curve().meaning());
                }
                b.append(". Paper: ").append(orDash(s.paper())).append(". Source: ").append(orDash(s.source())).append(".\n\n");
                // which interval decided the verdict: the claim says, the table shows both
                b.append(s.pool() == null ? "" : "Interval used: the " + s.pool() + " of all seeds pooled, exact binomial ("
                        + PooledRate.METHOD + ") 95% interval; the per-seed Student-t interval is shown beside it.\n\n");
                b.append("| Compared | Measured (")
                        .append(s.pool() == null ? "mean ± 95% CI" : "pooled proportion [95% " + PooledRate.METHOD + "]")
                        .append(") | Threshold | Verdict | Note |\n|---|---|---|---|---|\n");
                for (ClaimResult.Row row : c.rows()) {
                    b.append("| ").append(cell(row.subject())).append(" | ").append(cell(row.measured())).append(" | ")
                            .append(cell(row.threshold())).append(" | ").append(row.verdict()).append(" | ")
                            .append(cell(row.note())).append(" |\n");
                }
                b.append('\n');
                if (!c.caveat().isEmpty()) {
                    b.append("Note: ").append(c.caveat()).append(".\n\n");
                }
            }
        }
        if (!plotFiles.isEmpty()) {
            b.append("## Plots\n\n");
            for (int i = 0; i < plotFiles.size(); i++) {
                b.append("![").append(r.plots().get(i).title()).append("](").append(plotFiles.get(i)).append(")\n\n");
                for (String note : r.plots().get(i).notes()) {
                    b.append("*").append(note).append("*\n\n");
                }
            }
        }
        b.append("## Results by configuration\n\n");
        for (String metric : r.metrics()) {
            b.append("### ").append(metric).append("\n\n|");
            r.columns().forEach(k -> b.append(' ').append(k).append(" |"));
            b.append(" seeds | mean | std | 95% CI |\n|");
            b.append("---|".repeat(r.columns().size() + 4)).append('\n');
            for (Configuration k : r.configurations()) {
                Stat s = k.metrics().get(metric);
                b.append('|');
                k.values().values().forEach(v -> b.append(' ').append(cell(Values.format(v))).append(" |"));
                String lost = k.damaged() == 0 ? "" : " (" + k.damaged() + " damaged)";
                if (s == null) {
                    b.append(" 0/").append(k.trials()).append(lost).append(" | – | – | – |\n");
                    continue;
                }
                b.append(' ').append(s.n()).append('/').append(k.trials()).append(lost).append(" | ").append(fmt(s.mean())).append(" | ")
                        .append(fmt(s.std())).append(" | ")
                        .append(s.hasInterval() ? "[" + fmt(s.ciLow()) + ", " + fmt(s.ciHigh()) + "]" : "–").append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Map<String, String> provenance(ExperimentResults res) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (res.sweep().command() != null) {
            out.put("produced by", "`" + res.sweep().command() + "`");
        }
        for (TrialResult t : res.trials()) {
            try {
                Map<String, Object> p = t.folder().readConfig().provenance();
                if (p.get("git") instanceof Map<?, ?> git) {
                    // no commit outside a git checkout: say so rather than "null"
                    out.put("commit", git.get("commit") == null ? "unknown (not run from a git checkout)"
                            : git.get("commit") + (Boolean.TRUE.equals(git.get("dirty")) ? " (with uncommitted changes)" : ""));
                    out.put("machine", p.get("cpus") + " CPUs, " + p.get("os") + ", Java " + p.get("java_version")
                            + ", " + p.get("nd4j_backend"));
                }
            } catch (IOException ignored) {
                continue;
            }
            break;
        }
        if (res.sweep().startedAt() != null) {
            out.put("sweep started", res.sweep().startedAt());
        }
        return out;
    }

    static String aggregatesCsv(Report r) {
        StringBuilder b = new StringBuilder();
        r.columns().forEach(k -> b.append(csv(k)).append(','));
        b.append("metric,seeds,trials,mean,std,ci95_low,ci95_high\n");
        for (Configuration k : r.configurations()) {
            for (Map.Entry<String, Stat> m : k.metrics().entrySet()) {
                k.values().values().forEach(v -> b.append(csv(Values.format(v))).append(','));
                Stat s = m.getValue();
                b.append(csv(m.getKey())).append(',').append(s.n()).append(',').append(k.trials()).append(',')
                        .append(raw(s.mean())).append(',').append(raw(s.std())).append(',').append(raw(s.ciLow())).append(',')
                        .append(raw(s.ciHigh())).append('\n');
            }
        }
        return b.toString();
    }

    static String claimsCsv(Report r) {
        StringBuilder b = new StringBuilder("claim,check,metric,verdict,paper,measured,source\n");
        for (ClaimResult c : r.claims()) {
            ClaimSpec s = c.claim();
            b.append(csv(s.name())).append(',').append(s.kind().yamlName()).append(',').append(csv(s.measure())).append(',')
                    .append(c.verdict()).append(',').append(csv(orDash(s.paper()))).append(',').append(csv(c.measuredSummary()))
                    .append(',').append(csv(orDash(s.source()))).append('\n');
        }
        return b.toString();
    }

    static String plotCsv(PlotData p) {
        // on a log y axis the plot draws the geometric mean and the interval of the logs: the header says so
        StringBuilder b = new StringBuilder(p.logY() ? "series,x,seeds,geometric_mean,ci95_low,ci95_high\n"
                : "series,x,seeds,mean,ci95_low,ci95_high\n");
        for (PlotData.Series s : p.series()) {
            for (int i = 0; i < s.x().length; i++) {
                // a categorical x is drawn at positions 0, 1, ...: the CSV names the category
                String x = p.xCategories().isEmpty() ? raw(s.x()[i]) : csv(p.xCategories().get((int) s.x()[i]));
                b.append(csv(s.name())).append(',').append(x).append(',').append(s.n()[i]).append(',')
                        .append(raw(s.mean()[i])).append(',').append(raw(s.lo()[i])).append(',').append(raw(s.hi()[i])).append('\n');
            }
        }
        return b.toString();
    }

    private static String raw(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "–" : s;
    }

    static String slug(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return out.length() > 60 ? out.substring(0, 60) : out;
    }
}
