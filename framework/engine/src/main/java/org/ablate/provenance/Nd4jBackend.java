package org.ablate.provenance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The ND4J backend this JVM runs on: {@code nd4j-native} (CPU), {@code nd4j-cuda} (GPU) or
 * {@code none} (ND4J is not on the classpath), with its device, the CUDA runtime and driver
 * versions on a GPU, and why the CUDA backend was skipped when it is on the classpath but ND4J
 * fell back to the CPU.
 *
 * <p>The engine does not depend on ND4J (plugins bring it), so ND4J is reached by reflection.
 * {@link #loaded()} initialises ND4J, which costs about 0.6 s; {@link #forProvenance()} does so
 * only where the answer is in doubt: with the CUDA backend on the classpath. With only the CPU
 * backend, nd4j-native is the one ND4J can load, and a run that never touches ND4J stays as fast.
 *
 * @param backend  {@code nd4j-native}, {@code nd4j-cuda} or {@code none}
 * @param device   {@code cpu}, the GPU(s) ND4J sees (name, compute capability, memory), or null for none
 * @param gpus     how many GPUs the loaded backend can use (0 on the CPU)
 * @param cudaRuntime the CUDA runtime version (e.g. 11.6) on a GPU, else null
 * @param cudaDriver  the CUDA version the NVIDIA driver supports (e.g. 12.2) on a GPU, else null
 * @param fallback why ND4J skipped its CUDA backend, where it is on the classpath and was skipped; else null
 * @param blas     the BLAS ND4J uses, where ND4J was initialised; else null
 */
public record Nd4jBackend(String backend, String device, int gpus, String cudaRuntime, String cudaDriver,
                          String fallback, String blas) {

    public static final String NATIVE = "nd4j-native";
    public static final String CUDA = "nd4j-cuda";
    public static final String NONE = "none";

    private static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static Nd4jBackend loaded;

    /** True where this classpath holds ND4J's CUDA backend (the CUDA build, `bin/ablate --backend cuda`). */
    public static boolean cudaOnClasspath() {
        return present(CUDA_BACKEND);
    }

    /**
     * What provenance records: the backend ND4J loads, initialising it only with the CUDA backend on
     * the classpath (see the class comment).
     */
    public static Nd4jBackend forProvenance() {
        if (cudaOnClasspath()) {
            return loaded();
        }
        return present(CPU_BACKEND) ? new Nd4jBackend(NATIVE, "cpu", 0, null, null, null, null)
                : new Nd4jBackend(NONE, null, 0, null, null, null, null);
    }

    /**
     * Initialises ND4J (once per JVM) and reports the backend it loaded. What ND4J prints while it
     * skips an unusable CUDA backend (a stack trace on stderr) is kept out of the output: the reason
     * is in {@link #fallback()}, said once by whoever reports it.
     */
    public static synchronized Nd4jBackend loaded() {
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    private static Nd4jBackend load() {
        if (!present(CPU_BACKEND) && !present(CUDA_BACKEND)) {
            return new Nd4jBackend(NONE, null, 0, null, null, null, null);
        }
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Object backend;
        Properties env;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Class<?> nd4j = Class.forName("org.nd4j.linalg.factory.Nd4j");
            backend = nd4j.getMethod("getBackend").invoke(null);
            Object executioner = nd4j.getMethod("getExecutioner").invoke(null);
            env = (Properties) executioner.getClass().getMethod("getEnvironmentInformation").invoke(executioner);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e;
            throw new IllegalStateException("ND4J could not start a backend: " + firstLine(cause.toString())
                    + reason(captured.toString(StandardCharsets.UTF_8)).map(r -> " (CUDA: " + r + ")").orElse(""), cause);
        } finally {
            System.setErr(stderr);
        }
        String blas = env.get("blas.vendor") == null ? null : String.valueOf(env.get("blas.vendor"));
        if (!backend.getClass().getName().equals(CUDA_BACKEND)) {
            String fallback = present(CUDA_BACKEND)
                    ? reason(captured.toString(StandardCharsets.UTF_8)).orElse("ND4J skipped it (no reason given)") : null;
            return new Nd4jBackend(NATIVE, "cpu", 0, null, null, fallback, blas);
        }
        List<String> devices = new ArrayList<>();
        if (env.get("cuda.devicesInformation") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> d) {
                    long total = d.get("cuda.totalMemory") instanceof Number n ? n.longValue() : 0;
                    devices.add(d.get("cuda.deviceName") + " (sm_" + d.get("cuda.deviceMajor") + d.get("cuda.deviceMinor")
                            + ", " + String.format(Locale.ROOT, "%.1f", total / (double) (1L << 30)) + " GiB)");
                }
            }
        }
        return new Nd4jBackend(CUDA, devices.isEmpty() ? "gpu" : String.join(", ", devices), devices.size(),
                cudaVersion("cudaRuntimeGetVersion"), cudaVersion("cudaDriverGetVersion"), null, blas);
    }

    /** The fields provenance records beside {@code nd4j_backend} (only those that apply). */
    public Map<String, Object> provenanceFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (device != null) {
            m.put("nd4j_device", device);
        }
        if (cudaRuntime != null) {
            m.put("cuda_runtime", cudaRuntime);
        }
        if (cudaDriver != null) {
            m.put("cuda_driver", cudaDriver);
        }
        if (fallback != null) {
            m.put("nd4j_fallback", fallback);
        }
        return m;
    }

    /** One line for people: "nd4j-cuda on NVIDIA A100 (sm_80, 39.4 GiB), CUDA runtime 11.6, driver 12.2". */
    public String describe() {
        if (NONE.equals(backend)) {
            return "none (no ND4J on the classpath)";
        }
        StringBuilder b = new StringBuilder(backend).append(" on ").append(device);
        if (cudaRuntime != null) {
            b.append(", CUDA runtime ").append(cudaRuntime).append(", driver ").append(cudaDriver);
        }
        if (blas != null) {
            b.append(", BLAS ").append(blas.toLowerCase(Locale.ROOT));
        }
        if (fallback != null) {
            b.append(" (the CUDA backend is in this build but cannot run: ").append(fallback).append(')');
        }
        return b.toString();
    }

    /**
     * Why the CUDA backend could not run, from what ND4J printed while it skipped it: a short cause
     * for the usual cases (no driver, no CUDA 11.6 runtime, no device), else the error's first line.
     */
    static java.util.Optional<String> reason(String printed) {
        String error = printed.lines().filter(l -> l.matches(".*(Error|Exception)\\b.*")).findFirst().orElse(null);
        if (error == null) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher missing = java.util.regex.Pattern.compile("(lib[\\w.+-]+\\.so[\\w.]*): cannot open shared object file")
                .matcher(error);
        if (missing.find()) {
            String lib = missing.group(1);
            if (lib.startsWith("libcuda.so")) {
                return java.util.Optional.of(lib + " not found (no NVIDIA driver)");
            }
            return java.util.Optional.of(lib + " not found (no CUDA 11.6 runtime: install it, or build with -Pcuda,cuda-redist)");
        }
        if (error.contains("No CUDA devices")) {
            return java.util.Optional.of("no CUDA device is visible (CUDA_VISIBLE_DEVICES=" + System.getenv("CUDA_VISIBLE_DEVICES") + ")");
        }
        return java.util.Optional.of(firstLine(error.strip()));
    }

    /** A CUDA version from cudart (11060 → 11.6), or "unknown". */
    private static String cudaVersion(String method) {
        try {
            Method m = Class.forName("org.bytedeco.cuda.global.cudart").getMethod(method, int[].class);
            int[] v = new int[1];
            m.invoke(null, (Object) v);
            return v[0] / 1000 + "." + (v[0] % 1000) / 10;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "unknown";
        }
    }

    private static boolean present(String className) {
        return Nd4jBackend.class.getClassLoader().getResource(className.replace('.', '/') + ".class") != null;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
