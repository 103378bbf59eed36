package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.TestNetworks;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/** A checkpoint at 300 ms, restored, continues exactly as the uninterrupted run, in every mode. */
class CheckpointTest {
    private static final long END = 10_000;
    private static final long AT = 3_000;

    @TempDir
    Path dir;

    static Network network(String kind) {
        return switch (kind) {
            case "cuba", "cuba-fixed", "cuba-event", "cuba-auto" -> CubaNetwork.classic(12345);
            case "feedforward", "feedforward-event", "feedforward-precise" -> TestNetworks.poissonDriven(77);
            case "sparse-auto", "sparse-event" -> org.myelin.core.catalog.SparseNetwork.build(20_000, 100, 0.0001, 1.0, 3);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static SimulationConfig config(String kind, int threads) {
        SimulationConfig c = new SimulationConfig(threads);
        if (kind.endsWith("-event")) {
            return c.withMode(EngineMode.EVENT_GRID);
        }
        if (kind.endsWith("-auto")) {
            return c.withMode(EngineMode.AUTO);
        }
        if (kind.endsWith("-precise")) {
            return c.withMode(EngineMode.EVENT_PRECISE);
        }
        return kind.equals("cuba-fixed") ? c.withAccumulation(SimulationConfig.Accumulation.FIXED_POINT) : c;
    }

    private static List<String> lines(SpikeRecord s, long from) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (s.step(i) >= from) {
                l.add(s.step(i) + " " + s.neuron(i));
            }
        }
        return l;
    }

    private static SpikeRecord uninterrupted(String kind) {
        Network net = network(kind);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, config(kind, 2))) {
            c.run(END, rec);
        }
        return SpikeStatistics.merged(net, rec.memory());
    }

    private Path checkpointAt(String kind, long at, int threads) {
        Path f = dir.resolve(kind + ".ckpt");
        try (CompiledNetwork c = Backends.find("cpu").compile(network(kind), config(kind, threads))) {
            c.run(at, Recording.none());
            c.checkpoint(f);
        }
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cuba", "cuba-fixed", "feedforward", "cuba-event", "feedforward-event", "cuba-auto",
        "sparse-auto", "feedforward-precise"})
    void restoredInANewJvmContinuesBitForBit(String kind) throws Exception {
        List<String> expected = lines(uninterrupted(kind), AT);
        assertTrue(expected.size() > 1000, kind + " active after the checkpoint: " + expected.size());
        Path ckpt = checkpointAt(kind, AT, 2);
        Path out = dir.resolve(kind + ".txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CheckpointChild.class.getName(), kind, "3", ckpt.toString(), Long.toString(END), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, p.exitValue(), "child JVM: " + log);
        assertEquals(expected, Files.readAllLines(out), kind + ": spikes from 300 ms to 1 s");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cuba-auto", "sparse-auto"})
    void anAutomaticModeCheckpointTakenBeforeTheChoiceContinuesBitForBit(String kind) {
        // at step 200 the automatic mode is still probing (500 steps): the counts so far travel in the file
        List<String> expected = lines(uninterrupted(kind), 200);
        Path ckpt = checkpointAt(kind, 200, 1);
        Network net = network(kind);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, config(kind, 2))) {
            c.restore(ckpt);
            c.advance(200, END, rec);
            assertTrue(c.device().contains(kind.startsWith("sparse") ? "net event-driven" : "exc clock-driven"),
                    c.device());
        }
        assertEquals(expected, lines(SpikeStatistics.merged(net, rec.memory()), 0));
    }

    private static Network withRateMonitor() {
        org.myelin.core.model.CubaLifModel m = org.myelin.core.model.CubaLifModel.builder().tauMembraneMs(20)
                .tauSynMs(5).restingMv(-65).thresholdMv(-50).resetMv(-65).refractoryMs(2).build();
        return Network.builder().dtMs(0.1).seed(4)
                .poisson("in", 200, 20.0)
                .population("n", 300, m, org.myelin.core.connect.Distribution.uniform(-65, -52))
                .projection(org.myelin.core.network.Projection.between("in", "n")
                        .connect(org.myelin.core.connect.Connectivity.fixedInDegree(40)).weightMv(4.0))
                .monitorSpikes("n").monitorRate("n", 100)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CLOCK", "EVENT_GRID", "EVENT_PRECISE", "AUTO"})
    void theRecordingsMonitorPositionsTravelWithTheCheckpoint(String mode) {
        // checkpoint in the middle of a 10 ms rate bin: the restored recording completes that bin as the
        // uninterrupted one does
        SimulationConfig config = new SimulationConfig(1).withMode(EngineMode.valueOf(mode));
        long at = 3050;
        Recording whole = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(withRateMonitor(), config)) {
            c.run(END, whole);
        }
        Path f = dir.resolve("rates-" + mode + ".ckpt");
        Recording first = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(withRateMonitor(), config)) {
            c.run(at, first);
            c.checkpoint(f, first);
        }
        Recording rest = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(withRateMonitor(), config)) {
            c.restore(f, rest);
            c.advance(at, END, rest);
        }
        var expected = whole.memory().rate("n.rate");
        var got = rest.memory().rate("n.rate");
        int offset = expected.bins() - got.bins();
        assertEquals(70, got.bins(), "bins from 3000 to the end");
        for (int b = 0; b < got.bins(); b++) {
            assertEquals(expected.binStart(offset + b), got.binStart(b));
            assertEquals(expected.rateHz(offset + b), got.rateHz(b), 0.0, "bin " + b);
        }
        assertTrue(got.rateHz(0) > 0, "the bin holding the checkpoint has spikes from both halves");
        // a plain checkpoint carries no positions and is refused by the recording-aware restore
        Path plain = dir.resolve("plain-" + mode + ".ckpt");
        try (CompiledNetwork c = Backends.find("cpu").compile(withRateMonitor(), config)) {
            c.run(100, Recording.none());
            c.checkpoint(plain);
            MyelinException e = assertThrows(MyelinException.class, () -> c.restore(plain, Recording.inMemory()));
            assertTrue(e.getMessage().contains("no recording positions"), e.getMessage());
        }
    }

    @Test
    void restoringInTheSameProcessWithAnotherThreadCountContinuesBitForBit() {
        List<String> expected = lines(uninterrupted("feedforward"), AT);
        Path ckpt = checkpointAt("feedforward", AT, 1);
        Network net = network("feedforward");
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, config("feedforward", 4))) {
            c.restore(ckpt);
            assertEquals(AT, c.currentStep());
            c.advance(AT, END, rec);
        }
        assertEquals(expected, lines(SpikeStatistics.merged(net, rec.memory()), 0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cuba", "cuba-event", "feedforward-precise"})
    void aDamagedCheckpointIsRefusedAndChangesNothing(String kind) throws Exception {
        Path ckpt = checkpointAt(kind, AT, 2);
        byte[] b = Files.readAllBytes(ckpt);
        b[b.length / 2] ^= 0x10;
        Path bad = dir.resolve("bad.ckpt");
        Files.write(bad, b);
        List<String> expected = lines(uninterrupted(kind), 0);
        Network net = network(kind);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, config(kind, 2))) {
            MyelinException e = assertThrows(MyelinException.class, () -> c.restore(bad));
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
            MyelinException t = assertThrows(MyelinException.class, () -> c.restore(dir.resolve("nothing-here.ckpt")));
            assertTrue(t.getMessage().contains("cannot read"), t.getMessage());
            c.run(END, rec);
        }
        assertEquals(expected, lines(SpikeStatistics.merged(net, rec.memory()), 0), "state untouched by the refusals");
    }

    @Test
    void aCheckpointOfAnotherNetworkOrModeIsRefused() {
        Path ckpt = checkpointAt("cuba", 100, 1);
        try (CompiledNetwork other = Backends.find("cpu").compile(CubaNetwork.classic(1), new SimulationConfig(1))) {
            MyelinException e = assertThrows(MyelinException.class, () -> other.restore(ckpt));
            assertTrue(e.getMessage().contains("another network"), e.getMessage());
        }
        try (CompiledNetwork fixed = Backends.find("cpu").compile(network("cuba"), config("cuba-fixed", 1))) {
            MyelinException e = assertThrows(MyelinException.class, () -> fixed.restore(ckpt));
            assertTrue(e.getMessage().contains("accumulation"), e.getMessage());
        }
        try (CompiledNetwork event = Backends.find("cpu").compile(network("cuba"), config("cuba-event", 1))) {
            MyelinException e = assertThrows(MyelinException.class, () -> event.restore(ckpt));
            assertTrue(e.getMessage().contains("clock-driven mode") && e.getMessage().contains("EVENT_GRID"),
                    e.getMessage());
        }
        Path eventCkpt = checkpointAt("cuba-event", 100, 1);
        try (CompiledNetwork clock = Backends.find("cpu").compile(network("cuba"), config("cuba", 1))) {
            MyelinException e = assertThrows(MyelinException.class, () -> clock.restore(eventCkpt));
            assertTrue(e.getMessage().contains("EVENT_GRID"), e.getMessage());
        }
        try (CompiledNetwork ref = Backends.find("reference").compile(network("cuba"), new SimulationConfig(1))) {
            assertThrows(MyelinException.class, () -> ref.restore(ckpt));
        }
    }

    @Test
    void writingReplacesAnOlderCheckpointOnlyWhenComplete() throws Exception {
        Path ckpt = checkpointAt("cuba", 100, 1);
        byte[] before = Files.readAllBytes(ckpt);
        try (CompiledNetwork c = Backends.find("cpu").compile(network("cuba"), new SimulationConfig(1))) {
            c.run(200, Recording.none());
            MyelinException e = assertThrows(MyelinException.class,
                    () -> c.checkpoint(dir.resolve("no-such-dir").resolve("x.ckpt")));
            assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
            c.checkpoint(ckpt);
        }
        byte[] after = Files.readAllBytes(ckpt);
        assertTrue(after.length > 0 && !java.util.Arrays.equals(before, after), "replaced by the newer checkpoint");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
    }
}
