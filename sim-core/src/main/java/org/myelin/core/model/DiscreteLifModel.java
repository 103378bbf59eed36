package org.myelin.core.model;

import java.util.List;
import org.myelin.core.MyelinException;

/**
 * A LIF or CuBa-LIF neuron given in discrete time, by its per-step factors rather than by time constants:
 * the form in which surrogate-gradient frameworks (snnTorch, SpikingJelly) and sim-learning state a
 * neuron, so that a trained network runs on any backend with the same arithmetic.
 *
 * <pre>
 *   each step:  syn = alpha * syn + input            (CuBa; without synaptic current: syn = input)
 *               v   = beta * v + syn + current
 *               v &gt; thresholdMv:  spike; v = v - thresholdMv (SUBTRACT) or v = 0 (TO_VALUE)
 * </pre>
 * Potentials are relative to rest (0), there is no refractory period and a current of 1 nA adds 1 mV per
 * step. Excitatory and inhibitory receptors behave alike; they only keep two inputs in separate sums
 * (v = beta v + e + i), which lets an exporter reproduce a sum's order exactly.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>unit</th><th>meaning</th></tr>
 * <tr><td>beta</td><td>-</td><td>membrane decay per step, in [0, 1]</td></tr>
 * <tr><td>alpha</td><td>-</td><td>synaptic decay per step, in [0, 1]; NaN for input straight to v</td></tr>
 * <tr><td>thresholdMv</td><td>mV</td><td>spike when v is strictly above; &gt; 0</td></tr>
 * <tr><td>resetMode</td><td>-</td><td>SUBTRACT the threshold, or reset TO_VALUE 0</td></tr>
 * </table>
 */
public record DiscreteLifModel(double beta, double alpha, double thresholdMv, ResetMode resetMode)
        implements NeuronModel {

    @Override
    public ContinuousDynamics continuous() {
        throw new org.myelin.core.MyelinException("a " + kind() + " model is defined in discrete time (per-step beta"
                + " and alpha) and has no continuous-time form; run it in a grid mode (CLOCK, EVENT_GRID)");
    }

    @Override
    public String kind() {
        return Double.isNaN(alpha) ? "discrete-lif" : "discrete-cuba-lif";
    }

    @Override
    public List<String> stateVariables() {
        return Double.isNaN(alpha) ? List.of("v") : List.of("v", "ge", "gi");
    }

    /**
     * Membrane parameters as the engines read them: rest 0, reset 0, no refractory period, 1 MOhm. The
     * membrane time constant is not used by this model (beta is given per step); it reads 1 ms.
     */
    @Override
    public MembraneParameters membrane() {
        return new MembraneParameters(1, 0, thresholdMv, 0, 0, 1, 0, resetMode);
    }

    @Override
    public void validate(String owner) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new MyelinException(owner + ": beta must be in [0, 1], was " + beta);
        }
        if (!Double.isNaN(alpha) && !(alpha >= 0 && alpha <= 1)) {
            throw new MyelinException(owner + ": alpha must be in [0, 1] (or NaN for no synaptic current), was "
                    + alpha);
        }
        if (!(thresholdMv > 0) || Double.isInfinite(thresholdMv)) {
            throw new MyelinException(owner + ": thresholdMv must be > 0 mV and finite, was " + thresholdMv);
        }
        if (resetMode == null) {
            throw new MyelinException(owner + ": resetMode must be TO_VALUE or SUBTRACT, was null");
        }
    }

    @Override
    public Propagators discretize(double dtMs) {
        double decaySyn = Double.isNaN(alpha) ? 0.0 : alpha;
        return new Propagators(dtMs, beta, 0.0, 1.0, 1.0, decaySyn, decaySyn, 1.0, 0.0, thresholdMv, 0.0, resetMode,
                0);
    }
}
