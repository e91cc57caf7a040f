package org.ablate.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a task's metric declaration accepts: exact names, and '*' for a part set by parameters or components. */
class MetricSchemaTest {

    @Test
    void exactNamesAndPatterns() {
        MetricSchema m = MetricSchema.summary("error", "rank_*").steps("train/loss", "eval/*");
        assertTrue(m.declared());
        assertTrue(m.hasSummary("error"));
        assertFalse(m.hasSummary("erro"));
        assertTrue(m.hasSummary("rank_w"));
        assertFalse(m.hasSummary("rank_"), "'*' stands for at least one character");
        assertTrue(m.hasStep("eval/psnr"));
        assertFalse(m.hasStep("evaluation/psnr"));
        assertFalse(m.hasStep("error"), "summary and step names are apart");
        assertFalse(m.hasSummary("a.b"), "a '.' is literal");
        assertEquals(List.of("error", "rank_*"), m.summaryNames());
        assertEquals(List.of("train/loss", "eval/*"), m.stepNames());
    }

    @Test
    void undeclaredAcceptsEverything() {
        MetricSchema none = MetricSchema.undeclared();
        assertFalse(none.declared());
        assertTrue(none.hasSummary("anything") && none.hasStep("any/thing"));
        assertEquals(List.of(), none.summaryNames());
        assertThrows(IllegalStateException.class, () -> none.steps("x"));
    }

    @Test
    void aMalformedNameIsRefusedAtRegistration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricSchema.summary("bad name"));
        assertEquals("metric name 'bad name' must match [A-Za-z0-9_.*/-]+", e.getMessage());
        assertThrows(NullPointerException.class, () -> MetricSchema.summary((String) null));
    }
}
