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
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

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

    /**
     * Every kind of generator, several sources of each, so that the workers' slices of the generators (each worker
     * draws one) cut through sources: plain Poisson, Poisson with multiplicity and spike trains.
     */
    static Network mixedSources(long seed) {
        int trainSize = 37;
        java.util.Random r = new java.util.Random(seed);
        java.util.List<long[]> spikes = new java.util.ArrayList<>();
        for (long step = 0; step < 3000; step++) {
            for (int i = 0; i < trainSize; i++) {
                if (r.nextDouble() < 0.04) {
                    spikes.add(new long[] {step, i}); // sorted by step, then neuron, as a spike train stores them
                }
            }
        }
        int[] n2 = spikes.stream().mapToInt(e -> (int) e[1]).toArray();
        long[] s2 = spikes.stream().mapToLong(e -> e[0]).toArray();
        CubaLifModel lif = CubaLifModel.builder().tauMembraneMs(20).restingMv(-65).thresholdMv(-50).resetMv(-65)
                .refractoryMs(2).tauSynExcMs(5).tauSynInhMs(10).build();
        return Network.builder().dtMs(0.1).seed(seed)
                .poisson("plain", 23, 40.0)
                .spikeTrain("train", trainSize, n2, s2)
                .poissonWithMultiplicity("background", 41, 3000.0)
                .poisson("plain2", 5, 200.0)
                .population("exc", 300, lif)
                .projection(Projection.between("plain", "exc").connect(Connectivity.fixedInDegree(5)).weightMv(2.0))
                .projection(Projection.between("train", "exc").connect(Connectivity.fixedInDegree(6)).weightMv(3.0))
                .projection(Projection.between("background", "exc").connect(Connectivity.fixedInDegree(3))
                        .weightMv(0.4))
                .projection(Projection.between("plain2", "exc").connect(Connectivity.fixedInDegree(2)).weightMv(1.5))
                .projection(Projection.between("exc", "exc").connect(Connectivity.fixedInDegree(10)).weightMv(0.3))
                .monitorSpikes("exc").monitorSpikes("plain").monitorSpikes("train").monitorSpikes("background")
                .monitorSpikes("plain2")
                .build();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 8})
    void generatorsDrawnInSlicesGiveTheSameSpikesAndSurviveACheckpoint(long seed) throws Exception {
        Network net = mixedSources(seed);
        SpikeRecord one = spikes(net, 1, 3000);
        assertTrue(one.size() > 5_000, "active: " + one.size());
        for (int threads : new int[] {2, 3, 4}) {
            assertEquals(one, spikes(net, threads, 3000), threads + " threads");
        }
        java.nio.file.Path f = java.nio.file.Files.createTempFile("sources", ".ckpt");
        try {
            try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(3))) {
                c.run(1234, Recording.none());
                c.checkpoint(f);
            }
            Recording rec = Recording.inMemory();
            try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(2))) {
                c.restore(f);
                c.advance(1234, 3000, rec);
            }
            SpikeRecord rest = SpikeStatistics.merged(net, rec.memory());
            SpikeRecord tail = new SpikeRecord();
            for (int i = 0; i < one.size(); i++) {
                if (one.step(i) >= 1234) {
                    tail.add(one.step(i), one.neuron(i));
                }
            }
            assertTrue(tail.size() > 1000, "active after the checkpoint: " + tail.size());
            assertEquals(tail, rest, "spikes after a restore with another thread count");
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }
}
