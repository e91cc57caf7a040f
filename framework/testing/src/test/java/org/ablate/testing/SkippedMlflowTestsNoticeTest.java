package org.ablate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The end-of-run notice, from a real JUnit launch of test classes that skip as the MLflow tests do. */
class SkippedMlflowTestsNoticeTest {

    /** Skips one test the way MlflowServer.shared() does without ABLATE_TEST_MLFLOW_URI. (Nested: surefire does not run it.) */
    static class SkipsOne {
        @Test
        void needsAServer() {
            Assumptions.abort(SkippedMlflowTestsNotice.SKIP_REASON + "ABLATE_TEST_MLFLOW_URI (the URI of a running MLflow server)");
        }

        @Test
        void needsNothing() {
        }
    }

    /** Skips a whole class in @BeforeAll, as MlflowAuthTest does without ABLATE_MLFLOW. */
    static class SkipsAClass {
        @BeforeAll
        static void server() {
            Assumptions.abort(SkippedMlflowTestsNotice.SKIP_REASON + "ABLATE_MLFLOW (the path of an `mlflow` executable)");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    /** Skips for a reason of its own: not counted. */
    static class SkipsOtherwise {
        @Test
        void elsewhere() {
            Assumptions.abort("no GPU");
        }
    }

    private static String run(Class<?>... classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> c : classes) {
            request.selectors(selectClass(c));
        }
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(request.build(), new SkippedMlflowTestsNotice(out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void skippedMlflowTestsAreCountedAndTheWayToRunThemShown() {
        String notice = run(SkipsOne.class, SkipsAClass.class, SkipsOtherwise.class);
        assertTrue(notice.contains("3 MLflow test(s) SKIPPED: ABLATE_MLFLOW and ABLATE_TEST_MLFLOW_URI not set"), notice);
        assertTrue(notice.contains("bin/mlflow-server start"), notice);
        assertTrue(notice.contains("export ABLATE_TEST_MLFLOW_URI=http://127.0.0.1:5000 ABLATE_MLFLOW="), notice);
    }

    @Test
    void nothingIsPrintedWhenNoMlflowTestSkipped() {
        assertEquals("", run(SkipsOtherwise.class));
    }
}
