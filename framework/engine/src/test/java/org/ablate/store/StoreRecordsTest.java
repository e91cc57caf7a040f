package org.ablate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.testing.CommittedEraFolder;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed records of the store's files (config.json, summary.json, status, sweep.json, the lines
 * of metrics.jsonl) and their codecs: what they read is what they write back, byte for byte, for
 * files of the first committed writer and of today's; fields they do not know are kept; fields an
 * early file lacks read as absent.
 */
class StoreRecordsTest {

    @TempDir
    Path tmp;

    @Test
    void committedEraFilesReEncodeByteForByte() throws Exception {
        ExperimentFolder folder = new ResultsStore(CommittedEraFolder.copyTo(tmp)).experiment(CommittedEraFolder.EXPERIMENT);
        assertReEncodesByteForByte(folder, 11);
    }

    @Test
    void todaysWritesReEncodeByteForByteInTheFieldOrderOfTheFirstWriter() throws Exception {
        Path file = Sweeps.write(tmp, "rec", """
                name: rec
                task: probe
                params: {n: 8}
                sweep: {grid: {x: [1, 2]}}
                repeats: 2
                headline: result
                """);
        Sweeps.run(file, tmp.resolve("results"));
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("rec");
        assertReEncodesByteForByte(folder, 4);
        ExperimentFolder early = new ResultsStore(CommittedEraFolder.copyTo(tmp.resolve("early"))).experiment(CommittedEraFolder.EXPERIMENT);
        assertEquals(keys(early.trials().get(0).config()), keys(folder.trials().get(0).config()));
        // sweep.json: the early fields in their order, with where the trials ran (launcher, resources) before the trials
        List<String> sweepKeys = new java.util.ArrayList<>(keys(Json.readObject(early.dir().resolve(ExperimentFolder.SWEEP))));
        sweepKeys.addAll(sweepKeys.indexOf("trials"), List.of("launcher", "resources"));
        assertEquals(sweepKeys, keys(Json.readObject(folder.dir().resolve(ExperimentFolder.SWEEP))));
    }

    @Test
    void aConfigRoundTripsWithFormulaValuesAndItsEnd() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("d", 16L);
        params.put("m", "4 * d");
        params.put("layers", List.of(1L, 2L));
        params.put("none", null);
        TrialConfig started = TrialConfig.started("0123456789ab", "exp", "probe", -7L, params, Map.of("m", 64.0),
                Map.of("d", 16L), "d=16 seed=-7", Map.of("git", Map.of("commit", "abc", "dirty", true)), "2026-01-01T00:00:00Z");
        Path file = tmp.resolve(TrialFolder.CONFIG);
        started.write(file);
        assertEquals(started, TrialConfig.read(file, "0123456789ab"));
        assertTrue(Files.readString(file).contains("\"ended_at\" : null"), "a started trial says it has not ended");
        assertTrue(!Files.readString(file).contains("duration_s") && !Files.readString(file).contains("\"state\""));

        TrialConfig ended = started.ended("2026-01-01T00:00:02Z", 2.5, TrialState.FAILED);
        ended.write(file);
        TrialConfig read = TrialConfig.read(file, "0123456789ab");
        assertEquals(ended, read);
        assertEquals(2.5, read.durationSeconds());
        assertEquals("FAILED", read.state());
        assertEquals(64.0, read.expressionValues().get("m"));
        assertEquals(List.of("trial_id", "experiment", "task", "seed", "params", "expression_values", "varying", "name",
                "provenance", "started_at", "ended_at", "duration_s", "state"), keys(Json.readObject(file)));
    }

    @Test
    void aSummaryRoundTripsNonFiniteValues() throws Exception {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", Double.NaN);
        metrics.put("gain", Double.POSITIVE_INFINITY);
        metrics.put("drop", Double.NEGATIVE_INFINITY);
        metrics.put("acc", 0.5);
        Path file = tmp.resolve(TrialFolder.SUMMARY);
        new TrialSummary(metrics).write(file);
        assertEquals(new TrialSummary(metrics), TrialSummary.read(file));
        assertTrue(Files.readString(file).contains("\"loss\" : \"NaN\""), Files.readString(file));
    }

    @Test
    void aMetricPointRoundTripsAndATornLineIsNone() {
        MetricPoint nan = new MetricPoint(3, "train/loss", Double.NaN, 1700000000000L);
        assertEquals("{\"step\":3,\"name\":\"train/loss\",\"value\":\"NaN\",\"timestamp\":1700000000000}", nan.toLine());
        assertEquals(nan, MetricPoint.parse(nan.toLine()).orElseThrow());
        assertTrue(MetricPoint.parse("{\"step\":3,\"name\":\"train/loss\",\"val").isEmpty(), "cut by a crash");
        assertTrue(MetricPoint.parse("   ").isEmpty());
        assertTrue(MetricPoint.parse("{\"step\":\"x\",\"name\":\"a\",\"value\":1}").isEmpty(), "no numeric step");
        assertNull(MetricPoint.parse("{\"step\":1,\"name\":\"a\",\"value\":1}").orElseThrow().timestamp());
    }

    @Test
    void aStatusRoundTripsItsFieldsAndStackTrace() {
        TrialStatus running = TrialStatus.running(4242, "node-1");
        TrialStatus parsed = TrialStatus.parse(running.render());
        assertEquals(running, parsed);
        assertEquals(4242L, parsed.pid().getAsLong());
        assertEquals("node-1", parsed.host());
        TrialStatus failed = TrialStatus.ended(TrialState.FAILED, "boom\nagain", "java.lang.X: boom\n\tat a.b(C.java:1)\n");
        assertEquals(failed.render(), TrialStatus.parse(failed.render()).render());
        assertEquals("boom again", TrialStatus.parse(failed.render()).reason());
        assertTrue(TrialStatus.parse("RUNNING\npid: not-a-number\n").pid().isEmpty(), "a pid that is not a number is none");
    }

    @Test
    void aSweepRecordRoundTrips() throws Exception {
        SweepRecord sweep = new SweepRecord("exp", "", "probe", "experiments/exp.yaml", "ablate run exp", "2026-01-01T00:00:00Z",
                null, List.of("x"), "process", Map.of("cpus", 2L),
                List.of(new SweepRecord.PlannedTrial("0123456789ab", 3, Map.of("x", 1L))), Map.of());
        Path file = tmp.resolve(ExperimentFolder.SWEEP);
        sweep.write(file);
        assertEquals(sweep, SweepRecord.read(file));
        assertTrue(Files.readString(file).contains("\"headline\" : null"), "no headline is written as null, as before");
    }

    @Test
    void fieldsThisVersionDoesNotKnowAreKeptAndWrittenBackAfterTheKnownOnes() throws Exception {
        Path file = tmp.resolve(TrialFolder.CONFIG);
        Files.writeString(file, """
                {"trial_id": "0123456789ab", "seed": 5, "params": {"x": 1}, "from_the_future": {"a": [1, 2]}, "note": "kept"}
                """);
        TrialConfig config = TrialConfig.read(file, "0123456789ab");
        assertEquals(Map.of("from_the_future", Map.of("a", List.of(1L, 2L)), "note", "kept"), config.unknown());
        config.ended("2026-01-01T00:00:00Z", 1.0, TrialState.FINISHED).write(file);
        List<String> keys = keys(Json.readObject(file));
        assertEquals(List.of("from_the_future", "note"), keys.subList(keys.size() - 2, keys.size()));
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.readObject(file).get("from_the_future"));

        Path sweepFile = tmp.resolve(ExperimentFolder.SWEEP);
        Files.writeString(sweepFile, """
                {"trials": [{"id": "0123456789ab", "seed": 1, "varying": {}, "extra": true}], "scheduler": "fifo"}
                """);
        assertEquals(Map.of("scheduler", "fifo"), SweepRecord.read(sweepFile).unknown());
    }

    @Test
    void fieldsAnEarlyFileLacksReadAsAbsent() throws Exception {
        Path file = tmp.resolve(TrialFolder.CONFIG);
        Files.writeString(file, "{\"seed\": 5}");
        TrialConfig config = TrialConfig.read(file, "0123456789ab");
        assertNull(config.trialId());
        assertNull(config.name());
        assertNull(config.startedAt());
        assertNull(config.durationSeconds());
        assertEquals(Map.of(), config.params());
        assertEquals(Map.of(), config.provenance());

        Path sweepFile = tmp.resolve(ExperimentFolder.SWEEP);
        Files.writeString(sweepFile, "{\"trials\": [{\"id\": \"0123456789ab\"}]}");
        SweepRecord sweep = SweepRecord.read(sweepFile);
        assertEquals(List.of("0123456789ab"), sweep.plannedIds());
        assertEquals(0, sweep.trials().get(0).seed(), "a planned trial without a seed reads as seed 0, as before");
        assertNull(sweep.headline());
        assertEquals(List.of(), sweep.varying());
    }

    @Test
    void whatMakesARecordUnusableIsDamageNamingTheFile() throws Exception {
        Path file = tmp.resolve(TrialFolder.CONFIG);
        Files.writeString(file, "{\"seed\": \"five\"}");
        StoreDamage seed = assertThrows(StoreDamage.class, () -> TrialConfig.read(file, null));
        assertEquals(file + ": 'seed' is \"five\", expected a 64-bit integer", seed.getMessage());
        Files.writeString(file, "{\"seed\": 1, \"trial_id\": \"ffffffffffff\"}");
        StoreDamage id = assertThrows(StoreDamage.class, () -> TrialConfig.read(file, "0123456789ab"));
        assertTrue(id.getMessage().endsWith("it belongs to trial \"ffffffffffff\", not to folder 0123456789ab (copied from another trial?)"),
                id.getMessage());
        Path summary = tmp.resolve(TrialFolder.SUMMARY);
        Files.writeString(summary, "{\"loss\": \"low\"}");
        assertThrows(StoreDamage.class, () -> TrialSummary.read(summary));
        Path sweep = tmp.resolve(ExperimentFolder.SWEEP);
        Files.writeString(sweep, "{\"trials\": [{\"id\": \"../x\"}]}");
        assertThrows(StoreDamage.class, () -> SweepRecord.read(sweep));
    }

    /** Every record file of the folder decoded and encoded again is the same bytes. */
    private static void assertReEncodesByteForByte(ExperimentFolder folder, int trials) throws Exception {
        Path sweepFile = folder.dir().resolve(ExperimentFolder.SWEEP);
        assertEquals(Files.readString(sweepFile), Json.pretty(SweepRecord.read(sweepFile).toJson()), sweepFile.toString());
        List<TrialFolder> all = folder.trials();
        assertEquals(trials, all.size());
        for (TrialFolder t : all) {
            Path config = t.file(TrialFolder.CONFIG);
            assertEquals(Files.readString(config), Json.pretty(t.readConfig().toJson()), config.toString());
            Path summary = t.file(TrialFolder.SUMMARY);
            if (Files.exists(summary)) {
                assertEquals(Files.readString(summary), Json.pretty(t.readSummary().metrics()), summary.toString());
            }
            Path metrics = t.file(TrialFolder.METRICS);
            for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                assertEquals(line, MetricPoint.parse(line).orElseThrow().toLine(), metrics.toString());
            }
            Path status = t.file(TrialFolder.STATUS);
            assertEquals(Files.readString(status, StandardCharsets.UTF_8), TrialStatus.read(status).render(), status.toString());
        }
    }

    private static List<String> keys(Map<String, Object> json) {
        return new ArrayList<>(json.keySet());
    }
}
