package org.myelin.learning.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.DsrNeuron;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.NeuronOutput;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/** A model exported to the core gives, on the CPU backend, the spikes of the training graph's forward pass. */
class NetworkExportTest {
    private static SpikingMlp model(int in, int[] sizes, boolean recurrent, boolean delayedReset, float weightScale,
                                    boolean zeroBiases) {
        return model(in, sizes, recurrent, delayedReset, weightScale, zeroBiases, Float.NaN);
    }

    /** With {@code alpha} not NaN, snnTorch's Synaptic neurons (a synaptic current decaying by alpha per step). */
    static SpikingMlp model(int in, int[] sizes, boolean recurrent, boolean delayedReset, float weightScale,
                            boolean zeroBiases, float alpha) {
        SpikingMlp m = new SpikingMlp(in, sizes, (name, n) -> {
            LeakyNeuron.Builder nb = LeakyNeuron.builder(n).name(name).beta(0.85f, false)
                    .threshold(1f, false).resetDelay(delayedReset).recurrent(recurrent && !name.equals("layer"
                            + (sizes.length - 1)));
            if (!Float.isNaN(alpha)) {
                nb.synaptic(alpha, false);
            }
            return nb.build();
        }, SpikingMlp.Readout.SPIKE_COUNT, 7);
        for (Tensor w : m.weights()) {
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] *= weightScale;
            }
        }
        if (zeroBiases) {
            for (Tensor b : m.biases()) {
                java.util.Arrays.fill(b.data(), 0f);
            }
        }
        for (var l : m.layers()) {
            if (l instanceof LeakyNeuron ln && ln.recurrent() != null) {
                float[] v = ln.recurrent().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (CounterRandom.uniform(11, 3, i, 0) - 0.55) * 0.8f;
                }
            }
        }
        return m;
    }

    private static Tensor spikes(int steps, int in, double p, long seed) {
        float[] d = new float[steps * in];
        for (int i = 0; i < d.length; i++) {
            d[i] = CounterRandom.uniform(seed, 1, i, 0) < p ? 1f : 0f;
        }
        return Tensor.of(d, steps, in);
    }

    /** Compares every layer's spikes; returns the spike count of each layer. */
    private static int[] compare(SpikingMlp model, Tensor sample, int steps, int threads) {
        return compare(model, sample, steps, threads, model.layers().size());
    }

    /** As above, for the first {@code checked} layers (a non-spiking read-out has no spikes to compare). */
    private static int[] compare(SpikingMlp model, Tensor sample, int steps, int threads, int checked) {
        Tensor input = sample.rank() == 2 ? Tensor.of(sample.data(), sample.dim(0), 1, sample.dim(1))
                : Tensor.of(sample.data(), 1, sample.dim(0));
        List<NeuronOutput> train = model.forward(Tape.inference(), input, steps).layers();
        NetworkExport.Exported ex = NetworkExport.export(model, sample, steps, 1.0);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(ex.network(), new SimulationConfig(threads))) {
            c.run(ex.stepsToRun(train.size()), rec);
        }
        int[] counts = new int[train.size()];
        for (int l = 0; l < checked; l++) {
            int n = model.layers().get(l).features();
            List<String> expected = new ArrayList<>();
            float[] s = train.get(l).spikes().data();
            for (int t = 0; t < ex.steps(); t++) {
                for (int j = 0; j < n; j++) {
                    if (s[t * n + j] != 0f) {
                        expected.add(ex.stepOf(l, t) + ":" + j);
                    }
                }
            }
            SpikeRecord core = rec.memory().spikes("layer" + l);
            List<String> actual = new ArrayList<>();
            long last = ex.stepOf(l, ex.steps() - 1);
            for (int i = 0; i < core.size(); i++) {
                if (core.step(i) <= last) {
                    actual.add(core.step(i) + ":" + core.neuron(i));
                }
            }
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(actual);
            List<String> extra = new ArrayList<>(actual);
            extra.removeAll(expected);
            assertTrue(missing.isEmpty() && extra.isEmpty() && expected.size() == actual.size(), "layer " + l
                    + ": " + missing.size() + " spikes missing on the core (first " + missing.subList(0,
                    Math.min(5, missing.size())) + "), " + extra.size() + " extra (first "
                    + extra.subList(0, Math.min(5, extra.size())) + ")");
            counts[l] = expected.size();
        }
        return counts;
    }

    @Test
    void feedForwardSpikeInputGivesTheSameSpikes() {
        SpikingMlp m = model(40, new int[] {60, 12}, false, false, 3f, true);
        int[] counts = compare(m, spikes(80, 40, 0.3, 5), 0, 1);
        assertTrue(counts[0] > 300 && counts[1] > 50, "too few spikes to compare: " + counts[0] + ", " + counts[1]);
    }

    @Test
    void recurrentSpikeInputGivesTheSameSpikes() {
        SpikingMlp m = model(40, new int[] {60, 12}, true, false, 3f, true);
        int[] counts = compare(m, spikes(80, 40, 0.3, 6), 0, 1);
        assertTrue(counts[0] > 300 && counts[1] > 50, "too few spikes to compare: " + counts[0] + ", " + counts[1]);
    }

    @Test
    void biasesInEveryLayerGiveTheSameSpikes() {
        SpikingMlp m = model(40, new int[] {60, 30, 12}, true, false, 3f, false);
        for (Tensor b : m.biases()) {
            for (int i = 0; i < b.size(); i++) {
                b.data()[i] = (float) (CounterRandom.uniform(5, 9, i, b.size()) - 0.4) * 0.3f;
            }
        }
        int[] counts = compare(m, spikes(80, 40, 0.3, 7), 0, 1);
        assertTrue(counts[0] > 300 && counts[1] > 50 && counts[2] > 20, java.util.Arrays.toString(counts));
    }

    @Test
    void recurrentSynapticLayersWithBiasesGiveTheSameSpikes() {
        SpikingMlp m = model(40, new int[] {60, 12}, true, false, 2f, false, 0.6f);
        int[] counts = compare(m, spikes(100, 40, 0.3, 8), 0, 1);
        assertTrue(counts[0] > 300 && counts[1] > 50, java.util.Arrays.toString(counts));
    }

    @Test
    void directInputWithFirstLayerBiasGivesTheSameSpikesOnTwoThreads() {
        SpikingMlp m = model(30, new int[] {50, 10}, false, false, 2f, false);
        java.util.Arrays.fill(m.biases().get(1).data(), 0f);
        float[] x = new float[30];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) CounterRandom.uniform(8, 2, i, 0);
        }
        int[] counts = compare(m, Tensor.of(x, 30), 60, 2);
        assertTrue(counts[0] > 100 && counts[1] > 20, "too few spikes to compare: " + counts[0] + ", " + counts[1]);
    }

    /**
     * DSR hidden layers as HLOP's continual-learning model builds them (LIF: tau 1, dt 0.05, fires at 0.3 of a learnable
     * threshold 0.3; IF: threshold 6, fires at half), a non-spiking read-out: the same spikes, for direct and spike
     * input.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "leaky {0}, spike input {1}")
    @org.junit.jupiter.params.provider.CsvSource({"true, false", "true, true", "false, false", "false, true"})
    void dsrLayersGiveTheSameSpikes(boolean leaky, boolean spikeInput) {
        int[] sizes = {40, 30, 10};
        SpikingMlp m = new SpikingMlp(25, sizes, (name, n) -> {
            if (name.equals("layer2")) {
                return LeakyNeuron.builder(n).name(name).beta(0f, false).reset(LeakyNeuron.Reset.NONE).build();
            }
            return leaky ? DsrNeuron.of(n, true, 0.3f, 1f, 0.05f, 0.3f, true, 1f, 0.0005f).named(name)
                    : DsrNeuron.of(n, false, 6f, 0f, 0f, 0.5f, true, 1f, 0.01f).named(name);
        }, SpikingMlp.Readout.MEMBRANE_MEAN, 5);
        for (Tensor w : m.weights()) {
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] *= leaky ? 3f : 8f;
            }
        }
        for (Tensor b : m.biases()) {
            java.util.Arrays.fill(b.data(), 0f);
        }
        int[] counts;
        if (spikeInput) {
            counts = compare(m, spikes(100, 25, 0.3, 4), 0, 1, 2);
        } else {
            float[] x = new float[25];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) CounterRandom.uniform(9, 2, i, 0);
            }
            counts = compare(m, Tensor.of(x, 25), 100, 1, 2);
        }
        assertTrue(counts[0] > 100 && counts[1] > 50, "too few spikes to compare: " + java.util.Arrays.toString(counts));
    }

    /**
     * SpikingJelly's LIF (decay_input or not, hard reset to 0 or soft), as `train mlp --neuron lif` and the reference
     * HLOP BPTT model use it: the same spikes, for spike and direct input.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "decay input {0}, soft reset {1}, spike input {2}")
    @org.junit.jupiter.params.provider.CsvSource({"true, false, true", "true, true, false", "false, true, true",
        "false, false, false"})
    void spikingJellyLifLayersGiveTheSameSpikes(boolean decayInput, boolean soft, boolean spikeInput) {
        SpikingMlp m = new SpikingMlp(30, new int[] {50, 20}, (name, n) -> new org.myelin.learning.neuron.JellyLifNeuron(
                n, decayInput ? 2f : 1f / (1f - 0.9f), decayInput, 1f, soft ? Float.NaN : 0f, true,
                org.myelin.learning.neuron.Surrogate.sigmoid(4f)), SpikingMlp.Readout.SPIKE_COUNT, 9);
        for (Tensor w : m.weights()) {
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] *= decayInput ? 4f : 1.5f;
            }
        }
        int[] counts;
        if (spikeInput) {
            counts = compare(m, spikes(60, 30, 0.3, 5), 0, 1);
        } else {
            float[] x = new float[30];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) CounterRandom.uniform(10, 2, i, 0);
            }
            counts = compare(m, Tensor.of(x, 30), 60, 2);
        }
        assertTrue(counts[0] > 100 && counts[1] > 30, "too few spikes to compare: " + java.util.Arrays.toString(counts));
    }

    /** snnTorch's default delayed reset: the same spikes, feed-forward and recurrent, leaky and synaptic. */
    @org.junit.jupiter.params.ParameterizedTest(name = "recurrent {0}, alpha {1}, threads {2}")
    @org.junit.jupiter.params.provider.CsvSource({"false, NaN, 1", "true, NaN, 2", "false, 0.6, 1", "true, 0.6, 1"})
    void layersWithTheDelayedResetGiveTheSameSpikes(boolean recurrent, float alpha, int threads) {
        SpikingMlp m = model(40, new int[] {60, 30, 10}, recurrent, true, 2f, false, alpha);
        int[] counts = compare(m, spikes(50, 40, 0.25, 3), 0, threads);
        assertTrue(counts[0] > 100 && counts[1] > 50 && counts[2] > 10, "too few spikes to compare: "
                + java.util.Arrays.toString(counts));
    }
}
