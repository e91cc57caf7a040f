package org.ablate.quantizers.quantizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;

/**
 * Adding {@code entropy} (default joint) to LFQ's schema changes what an LFQ trial computes, so
 * its id changes and a resumed study re-runs its LFQ trials instead of adopting per-bit results;
 * every other family's id stays as committed (ids printed by the dry run before the change). The
 * study as it was then (200 steps) is kept as a test resource: the shipped file has since moved to a
 * converging budget, which changes every id.
 */
class LfqTrialIdsTest {

    private static final Path EXPERIMENT = Path.of("src/test/resources/simvq-codebook-scaling-200-steps.yaml");

    private static String id(String listing, String quantizer, int k, int seed) {
        Matcher m = Pattern.compile("(?m)^\\d+\\s+([0-9a-f]{12})\\s+" + seed + "\\s+" + quantizer + "\\s+" + k + "\\s*$")
                .matcher(listing);
        assertTrue(m.find(), quantizer + " K = " + k + " seed " + seed + " in:\n" + listing);
        return m.group(1);
    }

    @Test
    void onlyLfqTrialIdsChange() {
        InProcessCli.Result dry = InProcessCli.run("run", EXPERIMENT.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.toString());
        String out = dry.out();
        assertEquals("908e61ba1b8e", id(out, "vq", 256, 0));
        assertEquals("4fc41cf9e248", id(out, "simvq", 16384, 2));
        assertEquals("7383a65140e9", id(out, "vq", 65536, 2));
        assertEquals("829465da8a04", id(out, "vq-fc", 256, 0));
        assertEquals("810182704d48", id(out, "fsq", 1024, 1));
        assertFalse(id(out, "lfq", 256, 0).equals("dfcc83c17dfb"), "the per-bit era's lfq K = 256 seed 0 id");
    }
}
