package org.myelin.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.SimulationConfig;

class BenchmarkRunTest {
    @Test
    void aSmallCubaRunGivesTheSameSpikesOnOneAndTwoThreadsAndReportsItsProgress() {
        List<long[]> seen = new ArrayList<>();
        BenchmarkRun one = BenchmarkRun.cuba(500, 0.05, new SimulationConfig(1), 7, "cpu", false,
                (done, steps) -> seen.add(new long[] {done, steps}));
        assertEquals(500, one.steps(), "0.05 s at dt 0.1 ms");
        assertEquals(500, one.network().neuronCount());
        assertTrue(one.spikes().size() > 0 && one.synapses() > 0, "the network fires");
        assertEquals(10, seen.size(), "a report per tenth");
        assertEquals(500, seen.get(9)[0]);
        assertEquals(0, one.warmupSeconds());
        assertTrue(one.meanRateHz() > 0 && one.synapticEventsPerSecond() > 0 && one.neuronUpdatesPerSecond() > 0);
        BenchmarkRun two = BenchmarkRun.cuba(500, 0.05, new SimulationConfig(2), 7, "cpu", false, null);
        assertEquals(2, two.threads());
        assertEquals(SpikeStatistics.checksum(one.spikes()), SpikeStatistics.checksum(two.spikes()));
        MyelinException e = assertThrows(MyelinException.class, () -> BenchmarkRun.cuba(4, 0.05,
                new SimulationConfig(1), 7, "cpu", false, null));
        assertEquals("cuba: neurons must be >= 5, was 4", e.getMessage());
        assertTrue(Double.isNaN(one.meanPlasticWeightMv()), "no plastic projection");
    }

    @Test
    void aPlasticCubaRunReportsItsMeanExcitatoryWeightWithinTheBounds() {
        BenchmarkRun run = BenchmarkRun.cubaStdp(500, 0.2, new SimulationConfig(1), 7, "cpu", false, null);
        double w = org.myelin.core.catalog.CubaNetwork.EXC_WEIGHT_MV;
        double m = run.meanPlasticWeightMv();
        assertTrue(m >= 0 && m <= 2 * w, "mean within [0, 2w]: " + m);
        assertTrue(m != w, "the weights moved: " + m);
    }
}
