package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.myelin.core.catalog.MicrocircuitNetwork;

class MicrocircuitCommandTest {
    private static JsonNode run(String threads) {
        CliRun r = CliRun.of("microcircuit", "--scale", "0.01", "--k-scale", "0.1", "--duration", "0.3", "--threads",
                threads, "--json");
        assertEquals(0, r.code(), r.err());
        return JsonResult.lastLine(r.out());
    }

    @Test
    void theReportHasEveryPopulationAndTheSameSpikesForOneAndTwoThreads() {
        JsonNode one = run("1");
        JsonNode two = run("2");
        assertEquals(one.get("spike_checksum"), two.get("spike_checksum"), "deterministic for any thread count");
        for (String key : new String[] {"neurons", "synapses", "build_s", "sim_s", "rtf", "bytes_per_synapse",
            "peak_rss_mb"}) {
            assertTrue(one.get(key).isNumber(), key + " in " + one);
        }
        JsonNode pops = one.get("populations");
        long neurons = 0;
        for (int i = 0; i < 8; i++) {
            String p = MicrocircuitNetwork.POPULATIONS[i];
            JsonNode q = pops.get(p);
            assertTrue(q.get("rate_hz").asDouble() >= 0, p + " " + q);
            assertTrue(q.has("cv_isi") && q.has("synchrony"), p + " " + q);
            neurons += Math.round(MicrocircuitNetwork.FULL_SIZE[i] * 0.01);
        }
        assertEquals(neurons, one.get("neurons").asLong());
        assertTrue(one.get("synapses").asLong() > 0);
    }

    @Test
    void badScalesAreRefusedAtOnce() {
        CliRun r = CliRun.of("microcircuit", "--scale", "0.0001");
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("empty"), r.err());
        CliRun k = CliRun.of("microcircuit", "--k-scale", "2");
        assertEquals(Main.BAD_INPUT, k.code());
    }
}
