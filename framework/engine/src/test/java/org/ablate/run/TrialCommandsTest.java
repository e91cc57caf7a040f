package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.Parameters;
import org.junit.jupiter.api.Test;

/** The run-trial command names every file absolutely: a launcher may start the child in another folder. */
class TrialCommandsTest {

    @Test
    void theProvenanceFileIsNamedAbsolutelyLikeTheExperimentAndTheResults() {
        TrialCommands commands = new TrialCommands("org.ablate.cli.AblateCli", Path.of("x.yaml"), List.of("a=1"), 10,
                Path.of("res"), null).withProvenance(Path.of("res/x/../x/.provenance.json"));
        TrialSpec trial = new TrialSpec("0123456789ab", 0, "probe", new Parameters(Map.of()), 0, Map.of());
        List<String> args = commands.command(trial).arguments();
        assertEquals(Path.of("res/x/.provenance.json").toAbsolutePath().toString(), args.get(args.indexOf("--provenance") + 1));
        assertEquals(Path.of("x.yaml").toAbsolutePath().toString(), args.get(1));
        assertEquals(Path.of("res").toAbsolutePath().toString(), args.get(args.indexOf("--results-dir") + 1));
    }
}
