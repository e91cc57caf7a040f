package org.ablate.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.Param;
import org.junit.jupiter.api.Test;

/** The parent run's content without a server: what counts as fixed, and keys MLflow accepts. */
class ParentRunContentTest {

    private static Map<String, String> asMap(List<Param> params) {
        Map<String, String> m = new LinkedHashMap<>();
        params.forEach(p -> m.put(p.getKey(), p.getValue()));
        return m;
    }

    @Test
    void onlyWhatEveryTrialSharesIsFixedAndAParamNamedTrialsCannotCollide() {
        Map<String, Object> a = new LinkedHashMap<>(Map.of("lr", 0.1, "levels", List.of(8L, 5L), "x", 1.0, "trials", 3L));
        Map<String, Object> b = new LinkedHashMap<>(Map.of("lr", 0.1, "levels", List.of(8L, 5L), "x", 2.0, "trials", 3L));
        Map<String, Object> c = new LinkedHashMap<>(Map.of("lr", 0.1, "levels", List.of(8L, 5L), "x", 1.0));
        Map<String, String> p = asMap(ParentRunContent.params("probe", List.of(a, b, c)));
        assertEquals(Map.of("task", "probe", "trials", "3", "lr", "0.1", "levels", "[8,5]"), p);
        assertEquals(Map.of("task", "probe", "trials", "0"), asMap(ParentRunContent.params("probe", List.of())));
    }

    @Test
    void keysKeepWithinMlflowsRules() {
        // '=' ',' '[' and non-ASCII are refused by MLflow, a '/' inside a value would read as another level
        assertEquals("mean/err/levels:_4_ 3_ path:a_b _", ParentRunContent.key("mean/err/", "levels:[4, 3] path:a/b \u00e9"));
        String longKey = ParentRunContent.key("ablate.claim.", "c".repeat(400));
        assertEquals(250, longKey.length());
        assertTrue(longKey.matches("[A-Za-z0-9_.\\- :/]+"), longKey);
    }
}
