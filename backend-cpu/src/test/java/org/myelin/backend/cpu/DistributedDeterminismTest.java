package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.TestNetworks;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * A network distributed over ranks (here threads of one JVM through {@link LocalExchange}; the mpi module runs the
 * same engine over Open MPI) spikes exactly as one process does, for any number of ranks and threads per rank.
 */
class DistributedDeterminismTest {

    private static SpikeRecord single(Network net, SimulationConfig config, long steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, config)) {
            c.run(steps / 3, rec);
            c.run(steps - steps / 3, rec);
        }
        return SpikeStatistics.merged(net, rec.memory());
    }

    /** Every rank's recording (each receives the whole network's spikes), index = rank. */
    private static List<SpikeRecord> distributed(Network net, SimulationConfig config, int ranks, long steps,
                                                 List<DistributedNetwork> parts) throws Exception {
        LocalExchange[] group = LocalExchange.group(ranks);
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<SpikeRecord>> futures = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                LocalExchange x = group[r];
                futures.add(pool.submit(() -> {
                    Recording rec = Recording.inMemory();
                    try (DistributedNetwork c = CpuBackend.compileDistributed(net, config, x)) {
                        c.run(steps / 3, rec);
                        c.run(steps - steps / 3, rec);
                        synchronized (parts) {
                            parts.add(c);
                        }
                    } catch (RuntimeException e) {
                        x.abort();
                        throw e;
                    }
                    return SpikeStatistics.merged(net, rec.memory());
                }));
            }
            List<SpikeRecord> out = new ArrayList<>();
            for (Future<SpikeRecord> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSameForRanks(Network net, SimulationConfig config, long steps, int minSpikes,
                                           int expectedWindow) throws Exception {
        SpikeRecord one = single(net, config, steps);
        assertTrue(one.size() > minSpikes, "active: " + one.size() + " spikes");
        int[][] layouts = {{1, 1}, {2, 1}, {3, 1}, {4, 1}, {2, 2}};
        for (int[] layout : layouts) {
            List<DistributedNetwork> parts = new ArrayList<>();
            List<SpikeRecord> got = distributed(net, config.withThreads(layout[1]), layout[0], steps, parts);
            String what = layout[0] + " ranks x " + layout[1] + " threads";
            for (int r = 0; r < layout[0]; r++) {
                assertEquals(SpikeStatistics.checksum(one), SpikeStatistics.checksum(got.get(r)),
                        what + ", rank " + r + ": checksum");
                assertEquals(one, got.get(r), what + ", rank " + r);
            }
            long synapses = 0;
            for (DistributedNetwork p : parts) {
                synapses += p.synapseCount();
                assertEquals(expectedWindow, p.windowSteps(), what + ": window");
                assertEquals(layout[0], p.ranks());
                assertTrue(p.exchanges() >= (steps + expectedWindow - 1) / expectedWindow, what + ": exchanges");
            }
            try (CompiledNetwork c = Backends.find("cpu").compile(net, config)) {
                assertEquals(c.synapseCount(), synapses, what + ": the ranks' synapses add up to the network's");
            }
        }
    }

    @Test
    void cubaSpikesAreIdenticalForAnyRanksAndThreads() throws Exception {
        assertSameForRanks(CubaNetwork.scaled(8000, 12345), new SimulationConfig(1), 3000, 10_000, 1);
    }

    @Test
    void heterogeneousDelaysExchangeOncePerShortestDelayWithIdenticalSpikes() throws Exception {
        assertSameForRanks(CubaNetwork.withDelays(8000, 7, 30, 5), new SimulationConfig(1), 3000, 10_000, 7);
    }

    @Test
    void poissonGeneratorsAndFixedPointAreIdenticalForAnyRanks() throws Exception {
        assertSameForRanks(TestNetworks.poissonDriven(99), new SimulationConfig(1), 5000, 2_000, 1);
        assertSameForRanks(CubaNetwork.withDelays(4000, 3, 12, 9),
                new SimulationConfig(1).withAccumulation(SimulationConfig.Accumulation.FIXED_POINT), 3000, 5_000, 3);
    }

    /** Runs `ranks` ranks in parallel, each calling body(rank's network, rank) on a network compiled for it. */
    private static <T> List<T> eachRank(Network net, SimulationConfig config, int ranks,
                                        java.util.function.BiFunction<DistributedNetwork, Integer, T> body)
            throws Exception {
        LocalExchange[] group = LocalExchange.group(ranks);
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                LocalExchange x = group[r];
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (DistributedNetwork c = CpuBackend.compileDistributed(net, config, x)) {
                        return body.apply(c, rank);
                    } catch (RuntimeException | Error e) {
                        x.abort();
                        throw e;
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachRankCheckpointsItsPartAndAResumedRunSpikesAsAnUninterruptedOne(@org.junit.jupiter.api.io.TempDir
                                                                             java.nio.file.Path dir) throws Exception {
        for (Network net : new Network[] {CubaNetwork.withDelays(4000, 5, 20, 3), TestNetworks.poissonDriven(7)}) {
            SimulationConfig config = new SimulationConfig(2);
            long a = 1234;
            long b = 1500;
            // uninterrupted: the spikes of [a, a + b)
            List<SpikeRecord> straight = eachRank(net, config, 2, (c, r) -> {
                c.run(a, Recording.none());
                Recording rec = Recording.inMemory();
                c.run(b, rec);
                return SpikeStatistics.merged(net, rec.memory());
            });
            // each rank writes its part at a, then new ranks restore it and run on
            eachRank(net, config, 2, (c, r) -> {
                c.run(a, Recording.none());
                c.snapshot().write(dir.resolve("rank-" + r + ".ckpt"));
                return null;
            });
            List<SpikeRecord> resumed = eachRank(net, config, 2, (c, r) -> {
                c.restore(org.myelin.core.checkpoint.Checkpoint.read(dir.resolve("rank-" + r + ".ckpt")));
                assertEquals(a, c.currentStep());
                Recording rec = Recording.inMemory();
                c.run(b, rec);
                return SpikeStatistics.merged(net, rec.memory());
            });
            assertTrue(straight.get(0).size() > 1000, "active: " + straight.get(0).size());
            assertEquals(straight.get(0), resumed.get(0));
            assertEquals(straight.get(1), resumed.get(1));
            // a part belongs to its rank of a run with as many ranks
            List<String> wrong = eachRank(net, config, 2, (c, r) -> assertThrows(MyelinException.class,
                    () -> c.restore(org.myelin.core.checkpoint.Checkpoint.read(dir.resolve("rank-" + (1 - r)
                            + ".ckpt")))).getMessage());
            assertTrue(wrong.get(0).contains("restore with the same rank count, each rank its own part"), wrong.get(0));
            try (CompiledNetwork one = Backends.find("cpu").compile(net, config)) {
                String m = assertThrows(MyelinException.class, () -> one.restore(
                        org.myelin.core.checkpoint.Checkpoint.read(dir.resolve("rank-0.ckpt")))).getMessage();
                assertTrue(m.contains("one rank's part of a distributed run"), m);
            }
        }
    }

    @Test
    void ranksWithoutNeuronsStillTakePart() throws Exception {
        Network net = CubaNetwork.build(6, 0.9, 4);
        SimulationConfig config = new SimulationConfig(1);
        SpikeRecord one = single(net, config, 2000);
        assertTrue(one.size() > 0, "active");
        List<DistributedNetwork> parts = new ArrayList<>();
        List<SpikeRecord> got = distributed(net, config, 8, 2000, parts);
        for (SpikeRecord r : got) {
            assertEquals(one, r);
        }
        assertEquals(2, parts.stream().filter(p -> p.ownedEnd() == p.ownedFirst()).count(), "8 ranks, 6 neurons");
    }

    @Test
    void readingAnotherRanksNeuronIsAClearError() throws Exception {
        Network net = CubaNetwork.scaled(1000, 1);
        LocalExchange[] group = LocalExchange.group(1);
        try (DistributedNetwork c = CpuBackend.compileDistributed(net, new SimulationConfig(1), group[0])) {
            assertEquals(0, c.ownedFirst());
            assertEquals(1000, c.ownedEnd());
            c.read("exc", "v", new int[] {0});
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            LocalExchange[] two = LocalExchange.group(2);
            List<Future<String>> f = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                LocalExchange x = two[r];
                f.add(pool.submit(() -> {
                    try (DistributedNetwork c = CpuBackend.compileDistributed(net, new SimulationConfig(1), x)) {
                        int other = x.rank() == 0 ? 999 : 0;
                        return assertThrows(MyelinException.class,
                                () -> c.read("inh", "v", new int[] {other % 200})).getMessage();
                    }
                }));
            }
            assertTrue(f.get(0).get().contains("belongs to another rank"), f.get(0).get());
        } finally {
            pool.shutdownNow();
        }
    }
}
