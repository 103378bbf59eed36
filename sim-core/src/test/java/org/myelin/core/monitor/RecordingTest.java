package org.myelin.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.Network;

class RecordingTest {
    private static Network net() {
        // generators 0 and 2 spike in steps 0, 5, 10, ...; generator 1 never
        int[] n = new int[40];
        long[] s = new long[40];
        for (int k = 0; k < 20; k++) {
            n[2 * k] = 0;
            s[2 * k] = 5L * k;
            n[2 * k + 1] = 2;
            s[2 * k + 1] = 5L * k;
        }
        return Network.builder().dtMs(1).spikeTrain("g", 3, n, s)
                .population("p", 1, LifModel.builder().build())
                .monitorSpikes("g").monitorRate("g", 10).monitorState("p", "v", 0).build();
    }

    @Test
    void rateBinsContinueAcrossAdvanceCallsAndCsvGetsEverySpike(@TempDir Path dir) throws Exception {
        Network net = net();
        Path csv = dir.resolve("s.csv");
        try (Recording rec = Recording.inMemory().route("g", new CsvSpikeSink(csv, net.dtMs()));
             CompiledNetwork c = Backends.find("reference").compile(net, new SimulationConfig(1))) {
            c.run(7, rec);
            c.run(13, rec);
            RateTrace r = rec.memory().rate("g.rate");
            assertEquals(2, r.bins());
            // 2 spikes of 3 generators per 5 ms: 4 spikes in 10 ms = 4 / (3 * 0.01 s)
            assertEquals(4 / (3 * 0.01), r.rateHz(0), 1e-9);
            assertEquals(20, rec.memory().state("p.v").samples());
            assertEquals(8, rec.memory().spikes("g").size());
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,time_ms,monitor,neuron", lines.get(0));
        assertEquals(9, lines.size());
        assertEquals("5,5.000000,g,0", lines.get(3));
    }

    @Test
    void routingAnUnknownMonitorIsRefused() {
        Network net = net();
        Recording rec = Recording.none().route("nope", new MemorySinkProbe());
        try (CompiledNetwork c = Backends.find("reference").compile(net, new SimulationConfig(1))) {
            MyelinException e = assertThrows(MyelinException.class, () -> c.run(1, rec));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    private static final class MemorySinkProbe implements RecordingSink {
    }
}
