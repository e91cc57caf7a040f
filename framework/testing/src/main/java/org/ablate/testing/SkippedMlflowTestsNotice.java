package org.ablate.testing;

import java.io.PrintStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says at the end of a test run how many MLflow integration tests skipped for want of a server
 * ({@link MlflowServer}), and how to run them: one line per skipped test in the middle of the
 * output is easy to miss. Registered through META-INF/services.
 */
public final class SkippedMlflowTestsNotice implements TestExecutionListener {

    static final String SKIP_REASON = "MLflow integration test skipped: set ";
    private static final Pattern VARIABLE = Pattern.compile(Pattern.quote(SKIP_REASON) + "(\\w+)");

    private final AtomicInteger skipped = new AtomicInteger();
    private final Set<String> variables = new TreeSet<>();
    private final PrintStream out;
    private volatile TestPlan plan;

    public SkippedMlflowTestsNotice() {
        this(System.out);
    }

    SkippedMlflowTestsNotice(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED || result.getThrowable().isEmpty()) {
            return;
        }
        Matcher m = VARIABLE.matcher(String.valueOf(result.getThrowable().get().getMessage()));
        if (!m.find()) {
            return;
        }
        synchronized (variables) {
            variables.add(m.group(1));
        }
        // a class whose server could not start (@BeforeAll) skips all its tests at once
        skipped.addAndGet(id.isTest() || plan == null ? 1
                : (int) Math.max(1, plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count()));
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.get() == 0) {
            return;
        }
        out.println(notice(skipped.get(), variables));
        out.flush();
    }

    static String notice(int skipped, Set<String> variables) {
        String rule = "=".repeat(78);
        return rule + "\n"
                + skipped + " MLflow test(s) SKIPPED: " + String.join(" and ", variables) + " not set. To run them:\n"
                + "  bin/mlflow-server start /tmp/ablate-mlflow 5000      # installs MLflow on first use (2-3 min)\n"
                + "  export ABLATE_TEST_MLFLOW_URI=http://127.0.0.1:5000 ABLATE_MLFLOW=$(bin/mlflow-server install)\n"
                + "  mvn -B test; bin/mlflow-server stop /tmp/ablate-mlflow   (README: Tracking with MLflow)\n"
                + rule;
    }
}
