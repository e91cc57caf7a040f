package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ablate's choice of the ND4J backend (--backend / ABLATE_BACKEND) and its build stamp: the
 * real script, run in a copy of the project's layout with stand-ins for mvn (which records its
 * arguments and writes the classpath files a real build writes) and java (which records the
 * arguments the CLI would get), so the decision is tested without a 2-minute build per case.
 */
class LauncherBackendTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().getParent().resolve("bin/ablate");

    @TempDir
    Path tmp;
    Path root;
    Path tools;

    @BeforeEach
    void layout() throws IOException {
        root = tmp.resolve("project");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(SCRIPT, root.resolve("bin/ablate"));
        executable(root.resolve("bin/ablate"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        write(root.resolve("framework/engine/src/main/java/A.java"), "class A {}\n");
        write(root.resolve("plugins/one/pom.xml"), "<project/>\n");
        tools = tmp.resolve("tools");
        // a build by mvn: each module's runtime classpath, with the CUDA jar under -Pcuda
        write(tools.resolve("mvn"), """
                #!/usr/bin/env bash
                echo "$*" >> "$LOG_DIR/mvn.log"
                root="$(dirname "$4")"
                jar=/repo/org/nd4j/nd4j-native/nd4j-native.jar
                case " $* " in *" -Pcuda "*|*" -Pcuda,cuda-redist "*) jar="$jar:/repo/org/nd4j/nd4j-cuda-11.6/nd4j-cuda-11.6.jar" ;; esac
                case " $* " in *"cuda-redist"*) jar="$jar:/repo/org/bytedeco/cuda/cuda-11.6-8.3-1.5.7-linux-x86_64-redist.jar" ;; esac
                for m in "$root/framework/engine" "$root/plugins/one"; do
                  mkdir -p "$m/target" && echo "$jar" > "$m/target/runtime-classpath.txt"
                done
                """);
        write(tools.resolve("java"), """
                #!/usr/bin/env bash
                echo "$*" >> "$LOG_DIR/java.log"
                """);
        executable(tools.resolve("mvn"));
        executable(tools.resolve("java"));
    }

    @Test
    void theChosenBackendIsBuiltAndKeptAcrossRebuilds() throws Exception {
        ok(Map.of(), "--backend", "cuda", "plugins");
        assertEquals(List.of("-B -q -f " + root.resolve("pom.xml") + " -DskipTests -Pcuda package"), log("mvn"));
        assertTrue(lastLine("java").endsWith("org.ablate.cli.AblateCli plugins"), "--backend is bin/ablate's, not the CLI's: "
                + lastLine("java"));
        assertEquals("backend=cuda\n", Files.readString(stamp()));

        ok(Map.of(), "plugins");
        assertEquals(1, log("mvn").size(), "nothing changed: no build");

        sourceChanged();
        ok(Map.of(), "plugins");
        assertEquals(2, log("mvn").size());
        assertTrue(lastLine("mvn").contains(" -Pcuda "), "the rebuild after a source change keeps cuda: " + lastLine("mvn"));

        ok(Map.of("ABLATE_BACKEND", "cpu"), "plugins");
        assertEquals(3, log("mvn").size(), "another backend asked for: a rebuild");
        assertFalse(lastLine("mvn").contains("-Pcuda"), lastLine("mvn"));
        assertEquals("backend=cpu\n", Files.readString(stamp()));

        ok(Map.of(), "--backend=cuda", "run", "x.yaml");
        assertTrue(lastLine("mvn").contains(" -Pcuda "), lastLine("mvn"));
        assertTrue(lastLine("java").endsWith("org.ablate.cli.AblateCli run x.yaml"), lastLine("java"));
    }

    @Test
    void aCudaBuildMadeByHandIsKeptByTheFirstCall() throws Exception {
        // `mvn -Pcuda package` writes the classpaths but no stamp; the first bin/ablate call used to rebuild for the CPU
        ok(Map.of(), "--backend", "cuda", "plugins");
        Files.delete(stamp());
        ok(Map.of(), "plugins");
        assertEquals(2, log("mvn").size(), "no stamp: a build");
        assertTrue(lastLine("mvn").contains(" -Pcuda "), "of the backend the classpath was built with: " + lastLine("mvn"));
        assertEquals("backend=cuda\n", Files.readString(stamp()));
    }

    @Test
    void aCpuBuildByHandAfterChoosingCudaIsRebuiltForCuda() throws Exception {
        ok(Map.of(), "--backend", "cuda", "plugins");
        for (String m : List.of("framework/engine", "plugins/one")) {
            Files.writeString(root.resolve(m + "/target/runtime-classpath.txt"), "/repo/org/nd4j/nd4j-native/nd4j-native.jar\n");
        }
        ok(Map.of(), "plugins");
        assertEquals(2, log("mvn").size(), "the classpath is not of the remembered backend: a build");
        assertTrue(lastLine("mvn").contains(" -Pcuda "), lastLine("mvn"));
    }

    @Test
    void theRedistBuildIsKeptToo() throws Exception {
        ok(Map.of(), "--backend", "cuda-redist", "plugins");
        assertTrue(lastLine("mvn").contains(" -Pcuda,cuda-redist "), lastLine("mvn"));
        Files.delete(stamp());
        ok(Map.of(), "plugins");
        assertEquals(2, log("mvn").size());
        assertTrue(lastLine("mvn").contains(" -Pcuda,cuda-redist "), "read from the classpath: " + lastLine("mvn"));
        assertEquals("backend=cuda-redist\n", Files.readString(stamp()));
    }

    @Test
    void anUnknownBackendIsOneLineNamingTheAcceptedOnes() throws Exception {
        Result bad = ablate(Map.of(), "--backend", "gpu", "plugins");
        assertEquals(2, bad.code);
        assertEquals("ablate: error: --backend gpu: unknown ND4J backend 'gpu' (accepted: cpu, cuda, cuda-redist)\n", bad.err);
        Result env = ablate(Map.of("ABLATE_BACKEND", "rocm"), "plugins");
        assertEquals(2, env.code);
        assertEquals("ablate: error: ABLATE_BACKEND=rocm: unknown ND4J backend 'rocm' (accepted: cpu, cuda, cuda-redist)\n", env.err);
        assertFalse(Files.exists(tmp.resolve("mvn.log")), "nothing built");
    }

    @Test
    void withoutAChoiceTheDefaultIsTheCpuBuild() throws Exception {
        ok(Map.of(), "plugins");
        assertEquals(List.of("-B -q -f " + root.resolve("pom.xml") + " -DskipTests package"), log("mvn"));
        assertEquals("backend=cpu\n", Files.readString(stamp()));
    }

    private record Result(int code, String err) {
    }

    private Result ablate(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("bin/ablate").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(tmp.resolve("err.txt").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> e = new HashMap<>(env);
        e.put("PATH", tools + ":" + System.getenv("PATH"));
        e.put("LOG_DIR", tmp.toString());
        pb.environment().remove("ABLATE_BACKEND");
        pb.environment().remove("ABLATE_NO_BUILD");
        pb.environment().putAll(e);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("err.txt")).lines().filter(l -> !l.startsWith("ablate: building"))
                .map(l -> l + "\n").reduce("", String::concat);
        return new Result(p.exitValue(), err);
    }

    private void ok(Map<String, String> env, String... args) throws Exception {
        Result r = ablate(env, args);
        assertEquals(0, r.code, r.err);
    }

    private Path stamp() {
        return root.resolve("framework/engine/target/.ablate-built");
    }

    private void sourceChanged() throws IOException {
        Files.setLastModifiedTime(root.resolve("framework/engine/src/main/java/A.java"),
                FileTime.from(Instant.now().plusSeconds(5)));
    }

    private List<String> log(String tool) throws IOException {
        Path f = tmp.resolve(tool + ".log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private String lastLine(String tool) throws IOException {
        List<String> lines = log(tool);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
