package org.myelin.backend.cpu;

import org.myelin.core.backend.TestNetworks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/** The same spikes, bit for bit, whatever the number of worker threads. */
class ThreadCountDeterminismTest {

    private static SpikeRecord spikes(Network net, int threads, long steps) {
        return spikes(net, new SimulationConfig(threads), steps);
    }

    private static SpikeRecord spikes(Network net, SimulationConfig config, long steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, config)) {
            // two advance calls, to cover the hand-over between them
            c.run(steps / 3, rec);
            c.run(steps - steps / 3, rec);
        }
        return SpikeStatistics.merged(net, rec.memory());
    }

    @ParameterizedTest(name = "CUBA, seed {0}")
    @ValueSource(longs = {12345, 7})
    void cubaSpikesAreIdenticalForOneTwoAndFourThreads(long seed) {
        Network net = CubaNetwork.classic(seed);
        SpikeRecord one = spikes(net, 1, 10_000);
        assertTrue(one.size() > 15_000, "CUBA is active: " + one.size() + " spikes");
        for (int threads : new int[] {2, 4}) {
            SpikeRecord other = spikes(net, threads, 10_000);
            assertEquals(one.size(), other.size(), threads + " threads: spike count");
            assertEquals(SpikeStatistics.checksum(one), SpikeStatistics.checksum(other), threads + " threads: checksum");
            assertEquals(one, other, threads + " threads");
        }
    }

    @ParameterizedTest(name = "heterogeneous delays, seed {0}")
    @ValueSource(longs = {1, 99})
    void heterogeneousDelaySpikesAreIdenticalForOneTwoAndFourThreads(long seed) {
        Network net = TestNetworks.poissonDriven(seed);
        SpikeRecord one = spikes(net, 1, 10_000);
        assertTrue(one.size() > 5_000, "network is active: " + one.size() + " spikes");
        for (int threads : new int[] {2, 4}) {
            assertEquals(one, spikes(net, threads, 10_000), threads + " threads");
        }
    }

    @ParameterizedTest(name = "fixed point, seed {0}")
    @ValueSource(longs = {12345})
    void fixedPointSpikesAreIdenticalForOneTwoAndFourThreads(long seed) {
        SimulationConfig fixed = new SimulationConfig(1).withAccumulation(SimulationConfig.Accumulation.FIXED_POINT);
        for (Network net : new Network[] {CubaNetwork.classic(seed), TestNetworks.poissonDriven(seed)}) {
            SpikeRecord one = spikes(net, fixed, 10_000);
            assertTrue(one.size() > 5_000, "active: " + one.size());
            for (int threads : new int[] {2, 4}) {
                assertEquals(one, spikes(net, fixed.withThreads(threads), 10_000), threads + " threads");
            }
        }
    }
}
