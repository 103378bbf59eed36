package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.myelin.core.monitor.Recording;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.NeuronOutput;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;
import org.myelin.learning.train.TrainingConfig;

/** NIR graphs imported as trainable sim-learning models: the same spikes as on the core, the same weights back. */
class NirModelTest {
    static Path fixture(String name) throws Exception {
        return Path.of(NirModelTest.class.getResource("/fixtures/" + name).toURI());
    }

    static float[] spikes(int steps, int in, long seed) {
        float[] d = new float[steps * in];
        for (int i = 0; i < d.length; i++) {
            d[i] = CounterRandom.uniform(seed, 1, i, 0) < 0.3 ? 1f : 0f;
        }
        return d;
    }

    /** Every layer's spikes of the model's forward pass, as "core step:neuron" with layer l shifted by l + 1. */
    static List<List<String>> forward(SpikingMlp m, float[] x, int steps) {
        List<NeuronOutput> out = m.forward(Tape.inference(), Tensor.of(x, steps, 1, m.inputs()), steps).layers();
        List<List<String>> all = new ArrayList<>();
        for (int l = 0; l < out.size(); l++) {
            int n = m.layers().get(l).features();
            float[] s = out.get(l).spikes().data();
            List<String> layer = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < n; j++) {
                    if (s[t * n + j] == 1f) {
                        layer.add((t + l + 1) + ":" + j);
                    }
                }
            }
            all.add(layer);
        }
        return all;
    }

    @Test
    void aRecurrentCubaGraphRunsAsOnTheCore() throws Exception {
        NirFile f = NirReader.read(fixture("rnn_subgraph.nir"));
        NirNetwork.Options o = new NirNetwork.Options(0.1, null, null);
        SpikingMlp m = NirModel.load(f, o);
        assertArrayEquals(new int[] {8, 3}, new int[] {m.layers().get(0).features(), m.layers().get(1).features()});
        assertTrue(((LeakyNeuron) m.layers().get(0)).recurrent() != null, "the recurrent weights came along");
        int steps = 120;
        float[] x = spikes(steps, 5, 3);
        List<List<String>> model = forward(m, x, steps);
        double[][] rows = new double[steps][5];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < 5; k++) {
                rows[t][k] = x[t * 5 + k];
            }
        }
        NirNetwork.Imported imp = NirNetwork.build(f, o, rows);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(imp.network(), new SimulationConfig(1))) {
            c.run(steps + 2, rec);
        }
        String[] nodes = {"lif1.lif1", "lif2"};
        for (int l = 0; l < 2; l++) {
            List<String> core = new ArrayList<>();
            for (long[] s : imp.spikes(rec.memory(), nodes[l])) {
                if (s[0] <= steps + l) {
                    core.add(s[0] + ":" + s[1]);
                }
            }
            assertTrue(core.size() > (l == 0 ? 100 : 10), "active: " + core.size());
            assertEquals(core, model.get(l), "layer " + l);
        }
    }

    @Test
    void aModelExportedAndImportedHasItsWeightsBackAndTrainsOn(@TempDir Path dir) {
        SpikingMlp a = new SpikingMlp(6, new int[] {10, 3}, (name, n) -> LeakyNeuron.builder(n).name(name)
                .beta(0.8f, false).threshold(1f, false).resetDelay(false).synaptic(0.5f, false)
                .recurrent(name.equals("layer0")).build(), SpikingMlp.Readout.SPIKE_COUNT, 4);
        for (Tensor b : a.biases()) {
            for (int i = 0; i < b.size(); i++) {
                b.data()[i] = 0.01f * (i + 1);
            }
        }
        float[] rw = ((LeakyNeuron) a.layers().get(0)).recurrent().data();
        for (int i = 0; i < rw.length; i++) {
            rw[i] = (float) (CounterRandom.uniform(2, 2, i, 0) - 0.6) * 0.5f;
        }
        Path f = dir.resolve("a.nir");
        NirExport.write(NetworkExport.export(a, Tensor.of(new float[6], 1, 6), 1, 1.0).network(), 1.0, f);
        SpikingMlp b = NirModel.load(NirReader.read(f), new NirNetwork.Options(1.0, null, null));
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(a.weights().get(l).data(), b.weights().get(l).data(), "weights of layer " + l);
            assertArrayEquals(a.biases().get(l).data(), b.biases().get(l).data(), "biases of layer " + l);
        }
        assertArrayEquals(((LeakyNeuron) a.layers().get(0)).recurrent().data(),
                ((LeakyNeuron) b.layers().get(0)).recurrent().data(), "recurrent weights");
        float[] x = spikes(50, 6, 9);
        assertEquals(forward(a, x, 50), forward(b, x, 50), "the same forward pass");
        // and it trains: three classes told apart by which input fires most
        int n = 300;
        float[] v = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 6; k++) {
                v[i * 6 + k] = k / 2 == y[i] ? 0.9f : 0.05f;
            }
        }
        LabelledData data = new LabelledData(v, y, 6, 3);
        Trainer t = new Trainer(b, Optimizer.adam(b.parameters(), LearningRateSchedule.constant(1e-2), 0.9, 0.999, 1e-8,
                0), new TrainingConfig(8, 30, 10, 1, Encoding.RATE, null, null, false));
        double before = t.evaluate(data);
        t.fit(data, null);
        double after = t.evaluate(data);
        assertTrue(after > 0.9 && after > before, "accuracy before " + before + ", after " + after);
    }

    @Test
    void aGraphThatIsNotALayeredChainIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        MyelinException e = assertThrows(MyelinException.class,
                () -> NirModel.load(NirReader.read(fixture("every-node.nir")), new NirNetwork.Options(0.1, null, null)));
        assertTrue(e.getMessage().startsWith("NIR model import:"), e.getMessage());
    }
}
