package org.ablate.spark;

import java.util.List;
import java.util.regex.Pattern;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.Launcher;
import org.ablate.spi.launch.Resources;

/**
 * The {@code spark} launcher: this process is Spark's driver (client mode) and each trial is one
 * Spark job of one task, which runs the trial's child JVM. Only {@link #launch} reaches Spark (through
 * {@link SparkSweep}), so registering and validating this launcher loads no Spark class.
 */
public final class SparkLauncher implements Launcher {

    public static final String NAME = "spark";
    static final String SHARED = "shared";
    static final String RETURNED = "returned";
    /** The masters Spark accepts (its own parser names them the same way). */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?\\])?|local-cluster\\[[0-9]+, *[0-9]+, *[0-9]+\\]"
                    + "|spark://\\S+|yarn|k8s://\\S+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?");
    private static final Pattern LOCAL = Pattern.compile("local(\\[.*)?");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,18}) *([kKmMgGtT]([iI]?[bB])?)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12}) *(ms|s|m|h)?");
    /** local, local[N], local[*], local[N,RETRIES]: group 2 is the core count when given. */
    private static final Pattern LOCAL_CORES = Pattern.compile("local(\\[(\\*|[0-9]+)(,[0-9]+)?\\])?");
    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.string("master").defaultValue("")
                    .doc("Spark master: local[*] (embedded), local[N], spark://HOST:PORT, yarn, k8s://URL; empty (the default):"
                            + " spark-submit's --master when started through SparkSubmit, else local[*]."),
            Param.string("driver_host").defaultValue("")
                    .doc("Address the executors reach this driver at (spark.driver.host); empty: 127.0.0.1 for a master on"
                            + " 127.0.0.1 or localhost, else Spark's choice."),
            Param.integer("executor_gpus").defaultValue(0).range(0, 1024)
                    .doc("GPUs each executor takes from its Worker when the trials ask for GPUs (resources.gpus);"
                            + " 0: as many as one trial asks for. Set it to a Worker's GPU count so that one executor"
                            + " runs that many one-GPU trials at once."),
            Param.string("jvm_options").defaultValue("")
                    .doc("Extra JVM options for each trial's child, separated by spaces."),
            Param.bool("class_archive").defaultValue(true)
                    .doc("Share loaded classes between the children on each executor host (a CDS archive in the user's"
                            + " own folder under that host's java.io.tmpdir, written by its first child): faster start-up."),
            Param.integer("output_lines").defaultValue(40).range(1, 10_000)
                    .doc("Last lines of a child's output kept in the status of a trial whose process died."),
            Param.choice("results", SHARED, RETURNED).defaultValue(SHARED)
                    .doc("shared: every executor sees the results folder at the driver's path and each trial's child"
                            + " writes its attempt there; returned: the child writes into a temporary folder on its"
                            + " executor and the task returns the attempt's folder to the driver, which commits it."),
            Param.string("max_returned").defaultValue("64m")
                    .doc("With results=returned: the most a trial's folder may take once packed (e.g. 64m, 512m);"
                            + " a larger one ends the trial FAILED. Capped below spark.driver.maxResultSize."),
            Param.string("executor_wait").defaultValue("120s")
                    .doc("On a cluster: how long to wait for the first executor before giving up (exit 10), e.g. 90s,"
                            + " 5m; 0: as long as it takes."));

    @Override
    public void check(Resources resources, Parameters options) {
        String master = master(options);
        if (!MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("launcher.master: '" + master + "' is not a Spark master (accepted: local[*],"
                    + " local[N], local[N,RETRIES], spark://HOST:PORT, yarn, k8s://URL)");
        }
        String driverHost = options.getString("driver_host");
        if (!driverHost.isEmpty() && !HOST.matcher(driverHost).matches()) {
            throw new IllegalArgumentException("launcher.driver_host: '" + driverHost
                    + "' is not a host name or address (accepted: a name such as node1.example.org, or an IP address)");
        }
        if (resources.gpus() > 0 && LOCAL.matcher(master).matches()) {
            // Spark's local mode has no GPU addresses to assign: a task asking for one would wait forever
            throw new IllegalArgumentException("resources.gpus: " + resources.gpus() + " requested, but Spark's local mode ("
                    + master + ") cannot assign GPUs; use a cluster master (launcher.master=spark://HOST:PORT) or"
                    + " --launcher process with launcher.devices=0,1,...");
        }
        maxReturned(options);
        executorWait(options);
        if (master.startsWith("spark://")) {
            MasterReachability.check(master);
        }
        java.util.regex.Matcher local = LOCAL_CORES.matcher(master);
        if (resources.cpus() > 0 && local.matches()) {
            int cores = local.group(2) == null ? 1
                    : local.group(2).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(2));
            if (resources.cpus() > cores) {
                // Spark refuses to start a context whose tasks need more cores than its one local executor has
                throw new IllegalArgumentException("resources.cpus: " + resources.cpus() + " requested, but Spark's local mode ("
                        + master + ") has " + cores + " core" + (cores == 1 ? "" : "s") + "; ask for at most " + cores
                        + " or use launcher.master=local[" + resources.cpus() + "]");
            }
        }
    }

    /** {@code max_returned} in bytes. */
    static long maxReturned(Parameters options) {
        String value = options.getString("max_returned").strip();
        java.util.regex.Matcher m = SIZE.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("launcher.max_returned: bad value '" + value + "' (accepted: a size such as"
                    + " 512m, 2g, 1GiB, or a whole number of bytes)");
        }
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 40;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("launcher.max_returned: '" + value + "' is too large");
        }
        return n << shift;
    }

    /** {@code executor_wait}; zero: no limit. */
    static java.time.Duration executorWait(Parameters options) {
        String value = options.getString("executor_wait").strip();
        java.util.regex.Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("launcher.executor_wait: bad value '" + value + "' (accepted: a duration such"
                    + " as 90s, 5m, 1h or 500ms; 0 waits as long as it takes)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofSeconds(n);
        };
    }

    /** The master to use: the option, else the one spark-submit was given (it sets spark.master), else local[*]. */
    static String master(Parameters options) {
        String master = options.getString("master");
        return !master.isEmpty() ? master : System.getProperty("spark.master", "local[*]");
    }

    @Override
    public void launch(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException {
        if (!trials.isEmpty()) {
            SparkSweep.run(trials, context);
        }
    }
}
