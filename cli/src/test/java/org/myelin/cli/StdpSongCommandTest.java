package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.myelin.experiments.stdp.SongStdp;
import picocli.CommandLine;

class StdpSongCommandTest {
    @Test
    void aShortRunPrintsTheHistogramAndJsonWithWeightsAndRate() {
        CliRun r = CliRun.of("run", "stdp-song", "--duration", "2", "--seed", "3", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("weights / gmax") && r.out().contains("[0.95, 1.00]"), r.out());
        String[] lines = r.out().trim().split("\n");
        String json = lines[lines.length - 1];
        Matcher w = Pattern.compile("\"weights\":\\[([^\\]]*)\\]").matcher(json);
        assertTrue(w.find(), json);
        double[] weights = Arrays.stream(w.group(1).split(",")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(1000, weights.length);
        for (double x : weights) {
            assertTrue(x >= 0 && x <= 1, "weight / gmax in [0, 1]: " + x);
        }
        // STDP moved weights away from the uniform start: some reached a bound within 2 s
        assertTrue(Arrays.stream(weights).anyMatch(x -> x == 0 || x == 1), "some weights at a bound");
        Matcher rate = Pattern.compile("\"rate_hz\":([0-9.eE+-]+)").matcher(json);
        assertTrue(rate.find(), json);
        double hz = Double.parseDouble(rate.group(1));
        assertTrue(hz > 1 && hz < 200, "output rate " + hz);
        Matcher spikes = Pattern.compile("\"spikes\":([0-9]+)").matcher(json);
        assertTrue(spikes.find());
        // over 2 s the rate window is the whole run
        assertEquals(Integer.parseInt(spikes.group(1)) / 2.0, hz, 1e-9);
        // the same seed gives the same weights
        CliRun again = CliRun.of("run", "stdp-song", "--duration", "2", "--seed", "3", "--json");
        String[] l2 = again.out().trim().split("\n");
        assertEquals(json.replaceAll("\"sim_seconds\":[^,]*,", ""), l2[l2.length - 1].replaceAll("\"sim_seconds\":[^,]*,",
                ""));
    }

    @Test
    void defaultsAreTheLibrarys() {
        RunCommand c = new RunCommand();
        new CommandLine(c).parseArgs("stdp-song", "--seed", "7");
        assertEquals(new SongStdp.Config(100, 7, 1, SongStdp.Config.of(100, 7).vDriveMv()), c.songConfig());
        assertEquals(SongStdp.Config.of(100, 7), c.songConfig());
    }
}
