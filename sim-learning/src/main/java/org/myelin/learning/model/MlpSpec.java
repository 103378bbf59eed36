package org.myelin.learning.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.learning.neuron.DsrNeuron;
import org.myelin.learning.neuron.JellyLifNeuron;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.SpikingLayer;
import org.myelin.learning.neuron.Surrogate;

/**
 * The architecture of a {@link SpikingMlp} as data, so that it can be written beside the weights and rebuilt.
 *
 * @param inputs         input features
 * @param sizes          neurons per layer, output layer last
 * @param neuron         {@code leaky} (snnTorch Leaky), {@code synaptic} (snnTorch Synaptic), {@code lif}
 *                       (SpikingJelly LIFNode, tau = 1 / (1 - beta), decay_input off, soft reset), {@code dsr-if}
 *                       or {@code dsr-lif} (DSR hidden neurons, alpha 0.5 / 0.3, LIF with tau 2 and dt 0.05; the output is a
 *                       linear map of the last hidden layer's rate: readout MEMBRANE_MEAN)
 * @param beta           membrane decay per step
 * @param alpha          synaptic decay per step (synaptic only)
 * @param threshold      firing threshold
 * @param learnBeta      whether beta (and alpha) are trained
 * @param learnThreshold whether the threshold is trained
 * @param recurrent      whether hidden layers have recurrent weights (leaky and synaptic)
 * @param surrogate      the surrogate gradient
 * @param readout        how class scores are read; with MEMBRANE_MEAN the output layer does not reset
 * @param seed           fixes the initial weights
 * @param immediateReset leaky and synaptic neurons reset in the step they spike (as the core does, so the model
 *                       exports to the core and to NIR), instead of snnTorch's default reset one step later
 */
public record MlpSpec(int inputs, int[] sizes, String neuron, float beta, float alpha, float threshold,
                      boolean learnBeta, boolean learnThreshold, boolean recurrent, Surrogate surrogate,
                      SpikingMlp.Readout readout, long seed, boolean immediateReset) {

    /** With snnTorch's delayed reset. */
    public MlpSpec(int inputs, int[] sizes, String neuron, float beta, float alpha, float threshold, boolean learnBeta,
                   boolean learnThreshold, boolean recurrent, Surrogate surrogate, SpikingMlp.Readout readout,
                   long seed) {
        this(inputs, sizes, neuron, beta, alpha, threshold, learnBeta, learnThreshold, recurrent, surrogate, readout,
                seed, false);
    }

    public MlpSpec {
        if (!java.util.List.of("leaky", "synaptic", "lif", "dsr-if", "dsr-lif").contains(neuron)) {
            throw new MyelinException("model: neuron must be leaky, synaptic, lif, dsr-if or dsr-lif, was '" + neuron
                    + "'");
        }
        if (neuron.startsWith("dsr") && readout != SpikingMlp.Readout.MEMBRANE_MEAN) {
            throw new MyelinException("model: a DSR network's output is a linear map of its last hidden layer's"
                    + " firing rate (readout MEMBRANE_MEAN), not " + readout);
        }
        if (recurrent && !neuron.equals("leaky") && !neuron.equals("synaptic")) {
            throw new MyelinException("model: recurrent layers need the leaky or synaptic neuron");
        }
        sizes = sizes.clone();
    }

    /** Makes the model (initial weights from the seed). */
    public SpikingMlp build() {
        int last = sizes.length - 1;
        return new SpikingMlp(inputs, sizes, (name, n) -> layer(name, n, name.equals("layer" + last)), readout, seed);
    }

    private SpikingLayer layer(String name, int n, boolean output) {
        if (neuron.startsWith("dsr") && output) {
            // linear on the rate: an integrator that forgets at once, read by its mean membrane
            return LeakyNeuron.builder(n).name(name).beta(0f, false).reset(LeakyNeuron.Reset.NONE).build();
        }
        if (neuron.equals("dsr-if")) {
            return DsrNeuron.of(n, false, threshold, 0f, 0f, 0.5f, learnThreshold, 1f, Math.min(0.01f, threshold))
                    .named(name);
        }
        if (neuron.equals("dsr-lif")) {
            return DsrNeuron.of(n, true, threshold, 2f, 0.05f, 0.3f, learnThreshold, 1f, Math.min(0.1f, threshold))
                    .named(name);
        }
        boolean integrateOnly = output && readout == SpikingMlp.Readout.MEMBRANE_MEAN;
        if (neuron.equals("lif") && !integrateOnly) {
            return new JellyLifNeuron(n, 1f / (1f - beta), false, threshold, Float.NaN, false, surrogate);
        }
        LeakyNeuron.Builder b = LeakyNeuron.builder(n).name(name).beta(beta, learnBeta)
                .threshold(threshold, learnThreshold && !integrateOnly).surrogate(surrogate)
                .reset(integrateOnly ? LeakyNeuron.Reset.NONE : LeakyNeuron.Reset.SUBTRACT)
                .recurrent(recurrent && !output).resetDelay(!immediateReset);
        if (neuron.equals("synaptic")) {
            b.synaptic(alpha, learnBeta);
        }
        return b.build();
    }

    /** {@code key=value} lines. */
    public String toText() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("inputs", Integer.toString(inputs));
        m.put("sizes", Arrays.toString(sizes).replaceAll("[\\[\\] ]", ""));
        m.put("neuron", neuron);
        m.put("beta", Float.toString(beta));
        m.put("alpha", Float.toString(alpha));
        m.put("threshold", Float.toString(threshold));
        m.put("learnBeta", Boolean.toString(learnBeta));
        m.put("learnThreshold", Boolean.toString(learnThreshold));
        m.put("recurrent", Boolean.toString(recurrent));
        m.put("surrogate", surrogate.toString());
        m.put("readout", readout.name());
        m.put("seed", Long.toString(seed));
        if (immediateReset) {
            m.put("immediateReset", "true");
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** Parses {@link #toText()}. */
    public static MlpSpec parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        try {
            int[] sizes = Arrays.stream(get(m, "sizes").split(",")).mapToInt(Integer::parseInt).toArray();
            return new MlpSpec(Integer.parseInt(get(m, "inputs")), sizes, get(m, "neuron"),
                    Float.parseFloat(get(m, "beta")), Float.parseFloat(get(m, "alpha")),
                    Float.parseFloat(get(m, "threshold")), Boolean.parseBoolean(get(m, "learnBeta")),
                    Boolean.parseBoolean(get(m, "learnThreshold")), Boolean.parseBoolean(get(m, "recurrent")),
                    Surrogate.parse(get(m, "surrogate")),
                    SpikingMlp.Readout.valueOf(get(m, "readout").toUpperCase(Locale.ROOT)),
                    Long.parseLong(get(m, "seed")), Boolean.parseBoolean(m.getOrDefault("immediateReset", "false")));
        } catch (IllegalArgumentException e) {
            throw new MyelinException("model spec: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new MyelinException("model spec: '" + key + "' is missing");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpSpec s && s.toText().equals(toText());
    }

    @Override
    public int hashCode() {
        return toText().hashCode();
    }
}
