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
    /** The masters Spark accepts (its own parser names them the same way). */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?\\])?|local-cluster\\[[0-9]+, *[0-9]+, *[0-9]+\\]"
                    + "|spark://\\S+|yarn|k8s://\\S+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?");
    private static final Pattern LOCAL = Pattern.compile("local(\\[.*)?");
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
            Param.integer("output_lines").defaultValue(40).range(1, 10_000)
                    .doc("Last lines of a child's output kept in the status of a trial whose process died."));

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

    /** The master to use: the option, else the one spark-submit was given (it sets spark.master), else local[*]. */
    static String master(org.ablate.spi.Parameters options) {
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
