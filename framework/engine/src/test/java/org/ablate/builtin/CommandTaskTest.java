package org.ablate.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code task: command}: the file's schema, placeholders, the program's folder, GPUs, and bad input. */
class CommandTaskTest {

    private static final String SWEEP = """
            name: argv
            task: command
            command: [python3, programs/argv_probe.py, --lr, "{lr}", "--steps={steps}", "{{literal}}", "{levels}"]
            schema:
              lr: {type: real, default: 0.1, range: [0, 1], doc: "A rate."}
              steps: {type: integer, default: 100, min: 1}
              levels: {type: integer_list, default: [8, 5]}
              optimizer: {type: string, values: [sgd, adam], default: adam}
              sleep_s: {type: real, default: 0}
            sweep: {grid: {lr: [0.5, 0.25]}}
            seeds: [1, 2]
            """;

    @TempDir
    Path tmp;

    private void program(String name) throws IOException {
        Path target = tmp.resolve("programs").resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/programs/" + name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private InProcessCli.Result run(String yaml, String... more) throws IOException {
        program("argv_probe.py");
        Path file = tmp.resolve("exp.yaml");
        Files.writeString(file, yaml);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report"));
        args.addAll(List.of(more));
        return InProcessCli.run(args.toArray(String[]::new));
    }

    private List<TrialFolder> trials(String experiment) throws IOException {
        return new ResultsStore(tmp.resolve("results")).experiment(experiment).trials();
    }

    private static Map<String, Object> started(TrialFolder t) throws IOException {
        return Json.readMap(t.file("artifacts/started.json"));
    }

    @Test
    void eachTrialRunsTheProgramInTheFilesFolderWithItsPlaceholdersFilledAndTheSchemasDefaults() throws Exception {
        InProcessCli.Result r = run(SWEEP);
        assertEquals(0, r.code(), r.toString());
        List<TrialFolder> trials = trials("argv");
        assertEquals(4, trials.size());
        Set<List<?>> argvs = new HashSet<>();
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, t.status().orElseThrow().state());
            Map<String, Object> started = started(t);
            assertEquals(tmp.toRealPath().toString(), started.get("cwd"));
            argvs.add((List<?>) started.get("argv"));
            Map<?, ?> params = (Map<?, ?>) t.config().get("params");
            assertEquals("adam", params.get("optimizer"));
            assertEquals(100L, params.get("steps"));
        }
        assertEquals(Set.of(List.of("--lr", "0.5", "--steps=100", "{literal}", "8,5"),
                List.of("--lr", "0.25", "--steps=100", "{literal}", "8,5")), argvs);
    }

    /** Ids hash the task name, the resolved parameters and the seed: not the command line, not where the file is. */
    @Test
    void trialIdsAreStableAndDoNotDependOnTheCommandLine() throws Exception {
        InProcessCli.Result a = run(SWEEP, "--dry-run");
        assertEquals(0, a.code(), a.toString());
        InProcessCli.Result b = run(SWEEP.replace("\"--steps={steps}\", ", ""), "--dry-run");
        assertEquals(0, b.code(), b.toString());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().contains("1  a339b76001c8  1     0.5"), a.out()); // lr=0.5 seed=1 with the schema's defaults
    }

    @Test
    void aValueTheSchemaRefusesIsOneLocatedLineAndNothingRuns() throws Exception {
        InProcessCli.Result r = run(SWEEP.replace("[0.5, 0.25]", "[0.5, 2.5]"));
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("exp.yaml:10: sweep.grid.lr[1]: 2.5 is out of range"), r.err());
        assertFalse(Files.exists(tmp.resolve("results/argv")));
    }

    @Test
    void badCommandSectionsAreOneLocatedLineWithExitCode2() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(SWEEP.replace("command: [python3, programs/argv_probe.py", "command: [no-such-program-xyz, programs/argv_probe.py"),
                "exp.yaml:3: command[0]: program 'no-such-program-xyz' is not found on PATH");
        cases.put(SWEEP.replace("command: [python3,", "command: [./missing.sh,"),
                "exp.yaml:3: command[0]: program './missing.sh' is not an executable file");
        cases.put(SWEEP.replace("\"{lr}\"", "\"{lrr}\""),
                "exp.yaml:3: command[3]: placeholder {lrr} names no parameter; did you mean 'lr'?");
        cases.put(SWEEP.replace("{type: real, default: 0.1, range: [0, 1], doc: \"A rate.\"}", "{type: float, default: 0.1}"),
                "exp.yaml:5: schema.lr.type: unknown type 'float'");
        cases.put(SWEEP.replace("{type: real, default: 0.1, range: [0, 1], doc: \"A rate.\"}", "{type: real, default: 3, range: [0, 1]}"),
                "exp.yaml:5: schema.lr.default: 3 is out of range");
        cases.put(SWEEP.replace("{type: integer, default: 100, min: 1}", "{type: integer, defualt: 100}"),
                "exp.yaml:6: schema.steps.defualt: unknown key; did you mean 'default'?");
        cases.put(SWEEP.replace("command: [python3, programs/argv_probe.py, --lr, \"{lr}\", \"--steps={steps}\", \"{{literal}}\", \"{levels}\"]",
                "command: python3 programs/argv_probe.py --lr {lr}"),
                "exp.yaml:3: command: expected a list of arguments, got 'python3 programs/argv_probe.py --lr {lr}'");
        cases.put(SWEEP.replace("task: command", "task: noop"), "exp.yaml:3: command: only for task: command");
        cases.put("name: x\ntask: command\n", "exp.yaml:2: command: missing required key for task: command");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            InProcessCli.Result r = run(c.getKey());
            assertEquals(2, r.code(), c.getValue() + "\n" + r);
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c.getValue()), "expected '" + c.getValue() + "' in: " + r.err());
        }
    }

    @Test
    void underTheProcessLauncherEachTrialGetsItsOwnGrantedGpuAsCudaVisibleDevices() throws Exception {
        String yaml = SWEEP.replace("sleep_s: {type: real, default: 0}", "sleep_s: {type: real, default: 1.5}")
                .replace("seeds: [1, 2]", "seeds: [1]") + "resources: {gpus: 1}\n";
        InProcessCli.Result r = run(yaml, "--launcher", "process", "launcher.devices=3,5", "-j", "2");
        assertEquals(0, r.code(), r.toString());
        Set<String> used = new HashSet<>();
        for (TrialFolder t : trials("argv")) {
            Map<String, Object> started = started(t);
            List<?> gpus = (List<?>) started.get("gpus");
            assertEquals(1, gpus.size(), started.toString());
            assertEquals(gpus.get(0), started.get("cuda_visible_devices"));
            assertEquals(gpus, ((Map<?, ?>) Json.readMap(t.file("task.json")).get("resources")).get("gpus"));
            used.add((String) gpus.get(0));
        }
        assertEquals(Set.of("3", "5"), used, "two trials at once hold both devices");
    }

    @Test
    void aTrialAskingForNoGpuWhileTheLauncherHandsThemOutSeesNone() throws Exception {
        InProcessCli.Result r = run(SWEEP.replace("seeds: [1, 2]", "seeds: [1]").replace("[0.5, 0.25]", "[0.5]"),
                "--launcher", "process", "launcher.devices=3,5");
        assertEquals(0, r.code(), r.toString());
        for (TrialFolder t : trials("argv")) {
            assertEquals("", started(t).get("cuda_visible_devices"));
            assertEquals(List.of(), started(t).get("gpus"));
        }
    }
}
