package org.myelin.backend.memristor.lsm;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.myelin.backend.memristor.CrossbarNetwork;
import org.myelin.backend.memristor.CrossbarReport;
import org.myelin.backend.memristor.device.StochasticSwitching;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.random.CounterRandom;

/**
 * The liquid of a liquid state machine as a core {@link Network}, so that it runs on any backend (cpu, or the
 * memristor crossbar model with its device effects): N spiking neurons with the STBP-style dynamics of the reference
 * scripts, V = decay V (1 - S) + W_in x + W_rec S, S = [V &gt; Vth] (a discrete LIF that resets to zero; inputs and the
 * recurrent spikes arrive one step later), fixed Gaussian input and recurrent weights (no self-connections) drawn from
 * the seed, and per-neuron spike counts over the window as the features a linear readout learns.
 *
 * @param inputs         input channels (e.g. 256 for a 16 x 16 event frame)
 * @param neurons        reservoir neurons (reference: 200)
 * @param decay          membrane decay per time bin (reference: 0.9 image, 0.97 audio)
 * @param threshold      Vth (reference: 5.0 image, 5.3 audio)
 * @param inputSigma     standard deviation of the input weights
 * @param recurrentSigma standard deviation of the recurrent weights
 * @param seed           fixes the weights
 * @param switching      null for Gaussian weights; otherwise weights drawn from the stochastic switching of
 *                       resistive-memory pairs (as the paper's reservoir is), scaled to the same standard deviations
 */
public record Reservoir(int inputs, int neurons, double decay, double threshold, double inputSigma,
                        double recurrentSigma, long seed, StochasticSwitching switching) {

    public Reservoir {
        if (inputs < 1 || neurons < 2) {
            throw new MyelinException("reservoir: needs >= 1 input and >= 2 neurons");
        }
        if (!(decay >= 0 && decay <= 1) || !(threshold > 0)) {
            throw new MyelinException("reservoir: decay must be in [0, 1] and the threshold > 0");
        }
        if (switching != null && !(switching.weightVariance() > 0)) {
            throw new MyelinException("reservoir: the switching model gives weights without spread");
        }
    }

    /** Gaussian weights. */
    public Reservoir(int inputs, int neurons, double decay, double threshold, double inputSigma, double recurrentSigma,
                     long seed) {
        this(inputs, neurons, decay, threshold, inputSigma, recurrentSigma, seed, null);
    }

    /**
     * The stochastic switching of the reservoir's weights when drawn from devices: each device of a pair gets one SET
     * pulse that switches it with probability 1/2 (so weights have mean 0), high-resistance state 1 uS (log-sigma
     * 0.3), low-resistance state 40 uS (log-sigma 0.1). The paper's device statistics are not public; these are
     * assumptions of the usual order, and the weights are rescaled to the reservoir's spreads anyway.
     */
    public static StochasticSwitching defaultSwitching() {
        return new StochasticSwitching(0.5, 1.0, 0.3, 40.0, 0.1);
    }

    /** The same reservoir with weights drawn from stochastic switching ({@code null}: Gaussian). */
    public Reservoir withSwitching(StochasticSwitching s) {
        return new Reservoir(inputs, neurons, decay, threshold, inputSigma, recurrentSigma, seed, s);
    }

    private Projection.Builder dense(String from, String to, int pre, int post, double sigma, String stream,
                                     boolean noSelf) {
        int n = pre * post - (noSelf ? post : 0);
        int[] a = new int[n];
        int[] b = new int[n];
        double[] w = new double[n];
        double[] drawn = drawn(pre, post, stream);
        int k = 0;
        for (int i = 0; i < pre; i++) {
            for (int j = 0; j < post; j++) {
                if (noSelf && i == j) {
                    continue;
                }
                a[k] = i;
                b[k] = j;
                w[k] = sigma * drawn[i * post + j];
                k++;
            }
        }
        return Projection.between(from, to).named(from + "->" + to).receptor(Receptor.EXCITATORY).delaySteps(1)
                .connect(Connectivity.explicit(a, b, w, null));
    }

    /**
     * Unit-spread weights of one projection, {@code [pre * post]} row-major (drawn once per reservoir and projection):
     * standard normal, or switching weights divided by their standard deviation.
     */
    private double[] drawn(int pre, int post, String stream) {
        return WEIGHTS.computeIfAbsent(this + "|" + stream + "|" + pre + "x" + post, key -> {
            int s = CounterRandom.streamOf(stream);
            double[] switched = switching == null ? null : switching.weights(pre * post, seed, stream);
            double unit = switching == null ? 1 : 1 / Math.sqrt(switching.weightVariance());
            double[] d = new double[pre * post];
            for (int i = 0; i < pre * post; i++) {
                d[i] = switched != null ? switched[i] * unit : CounterRandom.normal(seed, s, i, 0);
            }
            return d;
        });
    }

    /**
     * The weights as the network gets them, {@code [pre][post]}: the input projection ({@code inputs x neurons}) or
     * the recurrent one ({@code neurons x neurons}, zero diagonal: no self-connections), for inspecting a liquid's
     * statistics.
     */
    public double[][] weightMatrix(boolean recurrent) {
        int pre = recurrent ? neurons : inputs;
        double sigma = recurrent ? recurrentSigma : inputSigma;
        double[] d = drawn(pre, neurons, recurrent ? "lsm.recurrent" : "lsm.input");
        double[][] m = new double[pre][neurons];
        for (int i = 0; i < pre; i++) {
            for (int j = 0; j < neurons; j++) {
                m[i][j] = recurrent && i == j ? 0 : sigma * d[i * neurons + j];
            }
        }
        return m;
    }

    /** Standard weights of recent reservoirs (drawn once, not for every sample), keyed by reservoir and projection. */
    private static final java.util.Map<String, double[]> WEIGHTS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, double[]> e) {
                    return size() > 8;
                }
            });

    /** The network fed by one sample: {@code frames[t][i]} is whether input i has an event in time bin t. */
    public Network network(boolean[][] frames) {
        IntArrayList who = new IntArrayList();
        LongArrayList when = new LongArrayList();
        for (int t = 0; t < frames.length; t++) {
            if (frames[t].length != inputs) {
                throw new MyelinException("reservoir: a frame has " + frames[t].length + " inputs, the reservoir takes "
                        + inputs);
            }
            for (int i = 0; i < inputs; i++) {
                if (frames[t][i]) {
                    who.add(i);
                    when.add((long) t);
                }
            }
        }
        return Network.builder().dtMs(1).seed(seed)
                .spikeTrain("input", inputs, who.toArray(), when.toArray())
                .population("liquid", neurons, new DiscreteLifModel(decay, Double.NaN, threshold, ResetMode.TO_VALUE),
                        Distribution.constant(0))
                .projection(dense("input", "liquid", inputs, neurons, inputSigma, "lsm.input", false))
                .projection(dense("liquid", "liquid", neurons, neurons, recurrentSigma, "lsm.recurrent", true))
                .monitorSpikes("liquid").build();
    }

    /** Per-neuron spike counts of one sample, run on {@code backend} for the window (one step per bin, plus one). */
    public int[] counts(Backend backend, SimulationConfig config, boolean[][] frames) {
        return counts(backend, config, frames, null);
    }

    /** As {@link #counts(Backend, SimulationConfig, boolean[][])}, giving a crossbar run's report to {@code reports}. */
    public int[] counts(Backend backend, SimulationConfig config, boolean[][] frames,
                        java.util.function.Consumer<CrossbarReport> reports) {
        Network net = network(frames);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = backend.compile(net, config)) {
            c.run(frames.length + 1, rec);
            if (reports != null && c instanceof CrossbarNetwork x) {
                reports.accept(x.report());
            }
        }
        int[] counts = new int[neurons];
        SpikeRecord r = rec.memory().spikes("liquid");
        for (int k = 0; k < r.size(); k++) {
            counts[r.neuron(k)]++;
        }
        return counts;
    }
}
