package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.tensor.Tensor;

/** Networks written as NIR and read back give the same spikes: models from the trainer, and continuous models. */
class NirExportTest {

    static SpikingMlp model(int in, int[] sizes, boolean recurrent, float alpha, LeakyNeuron.Reset reset) {
        SpikingMlp m = new SpikingMlp(in, sizes, (name, n) -> {
            LeakyNeuron.Builder nb = LeakyNeuron.builder(n).name(name).beta(0.85f, false).threshold(1f, false)
                    .resetDelay(false).reset(reset).recurrent(recurrent && !name.equals("layer" + (sizes.length - 1)));
            if (!Float.isNaN(alpha)) {
                nb.synaptic(alpha, false);
            }
            return nb.build();
        }, SpikingMlp.Readout.SPIKE_COUNT, 3);
        for (Tensor w : m.weights()) {
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] *= 2.5f;
            }
        }
        for (Tensor b : m.biases()) {
            for (int i = 0; i < b.size(); i++) {
                b.data()[i] = (float) (CounterRandom.uniform(4, 2, i, b.size()) - 0.4) * 0.3f;
            }
        }
        for (var l : m.layers()) {
            if (l instanceof LeakyNeuron ln && ln.recurrent() != null) {
                float[] v = ln.recurrent().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (CounterRandom.uniform(9, 3, i, 0) - 0.55) * 0.8f;
                }
            }
        }
        return m;
    }

    static float[] spikes(int steps, int in, long seed) {
        float[] d = new float[steps * in];
        for (int i = 0; i < d.length; i++) {
            d[i] = CounterRandom.uniform(seed, 1, i, 0) < 0.3 ? 1f : 0f;
        }
        return d;
    }

    static List<String> spikesOf(SpikeRecord r) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            l.add(r.step(i) + ":" + r.neuron(i));
        }
        java.util.Collections.sort(l);
        return l;
    }

    static List<String> spikesOf(List<long[]> s) {
        List<String> l = new ArrayList<>();
        for (long[] e : s) {
            l.add(e[0] + ":" + e[1]);
        }
        java.util.Collections.sort(l);
        return l;
    }

    /** Exports {@code m} to the core, the core network to NIR, imports it, and compares every layer's spikes. */
    static int[] roundTrip(SpikingMlp m, Path dir, int steps, int in) {
        float[] x = spikes(steps, in, 5);
        NetworkExport.Exported ex = NetworkExport.export(m, Tensor.of(x, steps, in), steps, 1.0);
        long run = ex.stepsToRun(m.layers().size()) + 2;
        Recording a = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(ex.network(), new SimulationConfig(1))) {
            c.run(run, a);
        }
        Path f = dir.resolve("model.nir");
        NirExport.write(ex.network(), 1.0, f);
        double[][] input = new double[steps][in];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < in; k++) {
                input[t][k] = x[t * in + k];
            }
        }
        NirNetwork.Imported imp = NirNetwork.build(NirReader.read(f), new NirNetwork.Options(1.0, null, null), input);
        Recording b = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(imp.network(), new SimulationConfig(1))) {
            c.run(run, b);
        }
        int[] counts = new int[m.layers().size()];
        for (int l = 0; l < counts.length; l++) {
            List<String> expected = spikesOf(a.memory().spikes("layer" + l));
            assertEquals(expected, spikesOf(imp.spikes(b.memory(), "layer" + l)), "layer " + l);
            counts[l] = expected.size();
        }
        return counts;
    }

    @Test
    void aFeedForwardModelWithBiasesRoundTripsToTheSameSpikes(@TempDir Path dir) {
        int[] c = roundTrip(model(30, new int[] {40, 20, 8}, false, Float.NaN, LeakyNeuron.Reset.SUBTRACT), dir, 60, 30);
        assertTrue(c[0] > 200 && c[1] > 50 && c[2] > 2, java.util.Arrays.toString(c));
        c = roundTrip(model(30, new int[] {40, 8}, false, Float.NaN, LeakyNeuron.Reset.ZERO), dir, 60, 30);
        assertTrue(c[0] > 200 && c[1] > 10, java.util.Arrays.toString(c));
    }

    @Test
    void aRecurrentCubaModelRoundTripsToTheSameSpikes(@TempDir Path dir) throws Exception {
        int[] c = roundTrip(model(30, new int[] {40, 8}, true, 0.6f, LeakyNeuron.Reset.SUBTRACT), dir, 80, 30);
        assertTrue(c[0] > 200 && c[1] > 10, java.util.Arrays.toString(c));
        NirFile f = NirReader.read(dir.resolve("model.nir"));
        NirNode hidden = f.graph().nodes().get("layer0");
        assertEquals("CubaLIF", hidden.type());
        assertEquals("subtract", hidden.metadata().get("myelin.reset").text());
        assertTrue(f.graph().recurrent(), "the recurrent edge is in the file");
        assertTrue(f.graph().nodes().get("layer0->layer1").type().equals("Affine"), "bias carried by an Affine");
    }

    @Test
    void continuousModelsWithDelaysRoundTripToTheSameSpikes(@TempDir Path dir) {
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-70)
                .refractoryMs(0).resistanceMOhm(10).build();
        CubaLifModel cuba = CubaLifModel.builder().tauMembraneMs(20).restingMv(-60).thresholdMv(-50).resetMv(-60)
                .refractoryMs(0).resistanceMOhm(1).tauSynExcMs(5).tauSynInhMs(5).build();
        int n = 12;
        int steps = 400;
        List<Integer> who = new ArrayList<>();
        List<Long> when = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < 6; k++) {
                if (CounterRandom.uniform(3, 4, k, s) < 0.05) {
                    who.add(k);
                    when.add((long) s);
                }
            }
        }
        Network net = Network.builder().dtMs(0.1).seed(2)
                .spikeTrain("input", 6, who.stream().mapToInt(Integer::intValue).toArray(),
                        when.stream().mapToLong(Long::longValue).toArray())
                .population("a", n, lif, Distribution.constant(-65))
                .population("b", 5, cuba, Distribution.constant(-60))
                .projection(Projection.between("input", "a").connect(Connectivity.fixedProbability(0.6))
                        .weightMv(Distribution.uniform(2, 6)).delaySteps(1))
                .projection(Projection.between("a", "b").connect(Connectivity.fixedProbability(0.7))
                        .weightMv(Distribution.uniform(-1, 5)).delaySteps(Distribution.uniformInt(1, 4)))
                .projection(Projection.between("b", "b").connect(Connectivity.fixedProbability(0.5))
                        .weightMv(-2).delaySteps(2).receptor(Receptor.INHIBITORY))
                .monitorSpikes("a").monitorSpikes("b").build();
        Recording a = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("reference").compile(net, new SimulationConfig(1))) {
            c.run(steps, a);
        }
        Path f = dir.resolve("exact.nir");
        NirExport.write(net, 0.1, f);
        NirFile read = NirReader.read(f);
        assertTrue(read.graph().nodes().values().stream().anyMatch(x -> x.type().equals("Delay")), "delays written");
        double[][] input = new double[steps][6];
        for (int i = 0; i < who.size(); i++) {
            input[(int) (long) when.get(i)][who.get(i)] = 1;
        }
        NirNetwork.Imported imp = NirNetwork.build(read, new NirNetwork.Options(0.1, null, null), input);
        Recording b = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("reference").compile(imp.network(), new SimulationConfig(1))) {
            c.run(steps, b);
        }
        List<String> ea = spikesOf(a.memory().spikes("a"));
        List<String> eb = spikesOf(a.memory().spikes("b"));
        assertTrue(ea.size() > 50 && eb.size() > 10, ea.size() + ", " + eb.size());
        assertEquals(ea, spikesOf(imp.spikes(b.memory(), "a")), "population a");
        assertEquals(eb, spikesOf(imp.spikes(b.memory(), "b")), "population b");
    }

    @Test
    void whatNirCannotSayIsRefusedWithTheReason() {
        LifModel refractory = LifModel.builder().refractoryMs(2).build();
        Network net = Network.builder().population("p", 3, refractory).monitorSpikes("p").build();
        MyelinException e = assertThrows(MyelinException.class, () -> NirExport.of(net, 0.1));
        assertTrue(e.getMessage().contains("population 'p'") && e.getMessage().contains("refractory"), e.getMessage());
        Network withCurrent = Network.builder().population("p", 3, LifModel.builder().refractoryMs(0).build())
                .current(org.myelin.core.network.CurrentInput.constant("drive", "p", 1)).build();
        e = assertThrows(MyelinException.class, () -> NirExport.of(withCurrent, 0.1));
        assertTrue(e.getMessage().contains("current input 'drive'"), e.getMessage());
    }
}
