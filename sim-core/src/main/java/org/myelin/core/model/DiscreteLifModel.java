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
 *               v   = beta * v + gain * syn + gain * current
 *               v &gt; thresholdMv:  spike; v = v - subtractMv (SUBTRACT) or v = 0 (TO_VALUE)
 * </pre>
 * Potentials are relative to rest (0), there is no refractory period and a current of 1 nA adds {@code gain} mV
 * per step. The input gain (1 by default) and a subtracted amount other than the threshold (the threshold by
 * default) state neurons such as DSR's, which integrate {@code (1 - b) x} and fire at a fraction of the amount
 * they subtract. Excitatory and inhibitory receptors behave alike; they only keep two inputs in separate sums
 * (v = beta v + e + i), which lets an exporter reproduce a sum's order exactly.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>unit</th><th>meaning</th></tr>
 * <tr><td>beta</td><td>-</td><td>membrane decay per step, in [0, 1]</td></tr>
 * <tr><td>alpha</td><td>-</td><td>synaptic decay per step, in [0, 1]; NaN for input straight to v</td></tr>
 * <tr><td>thresholdMv</td><td>mV</td><td>spike when v is strictly above; &gt; 0</td></tr>
 * <tr><td>resetMode</td><td>-</td><td>SUBTRACT subtractMv, or reset TO_VALUE 0</td></tr>
 * <tr><td>inputGain</td><td>-</td><td>factor of the synaptic input and the current into v; finite, &gt; 0 (default 1)</td></tr>
 * <tr><td>delayedReset</td><td>-</td><td>SUBTRACT at the next update, after integrating (snnTorch's reset_delay; default false)</td></tr>
 * <tr><td>subtractMv</td><td>mV</td><td>what SUBTRACT takes off v at a spike; finite, &gt; 0 (default: thresholdMv)</td></tr>
 * <tr><td>updateEvery</td><td>steps</td><td>the neuron's step spans this many network steps (default 1)</td></tr>
 * <tr><td>updatePhase</td><td>-</td><td>it updates in network steps n with n % updateEvery == updatePhase</td></tr>
 * </table>
 *
 * <p>With {@code updateEvery} K &gt; 1 the population takes one step of the table above in every K-th network step
 * (at its phase) and holds still in between: no decay, no integration, no spike; input that arrives meanwhile waits
 * in the synaptic variable. A network whose populations take turns (phases 0, 2, 4, ...) then computes a chain of
 * layers that all see the same sample step, each one network step after the one it reads, as a recurrent cell whose
 * populations depend on each other within one time step does (an LMU: u, then m from u, then h from m). Engines
 * that cannot hold a population still refuse such a network.
 *
 * <p>Synaptic variables are kept plainly (syn = alpha syn + input, input summed in arrival order) so that a training
 * graph that sums in the same order gives the same floats.
 */
public record DiscreteLifModel(double beta, double alpha, double thresholdMv, ResetMode resetMode, int updateEvery,
                               int updatePhase, double inputGain, double subtractMv, boolean delayedReset,
                               Propagators.Integration integration) implements NeuronModel {

    /** A neuron with the linear step v = beta v + gain input. */
    public DiscreteLifModel(double beta, double alpha, double thresholdMv, ResetMode resetMode, int updateEvery,
                            int updatePhase, double inputGain, double subtractMv, boolean delayedReset) {
        this(beta, alpha, thresholdMv, resetMode, updateEvery, updatePhase, inputGain, subtractMv, delayedReset,
                Propagators.Integration.LINEAR);
    }

    /**
     * SpikingJelly's LIF with {@code decay_input} and V_reset 0: H = V + (X - V) / tau, in that float order (as
     * {@code v + (x - v) * (1f / tau)}), a spike where H is strictly above {@code thresholdMv}; beta = 1 - 1/tau and
     * the input gain 1/tau state the same step in the linear form.
     */
    public static DiscreteLifModel decayInput(float tau, double thresholdMv, ResetMode resetMode) {
        double inv = 1f / tau;
        return new DiscreteLifModel(1 - inv, Double.NaN, thresholdMv, resetMode, 1, 0, inv, thresholdMv, false,
                Propagators.Integration.DECAY_INPUT);
    }

    /** SpikingJelly's LIF without {@code decay_input}, V_reset 0: H = (V - V / tau) + X ({@code v - v * (1f / tau) + x}). */
    public static DiscreteLifModel leakThenInput(float tau, double thresholdMv, ResetMode resetMode) {
        double inv = 1f / tau;
        return new DiscreteLifModel(1 - inv, Double.NaN, thresholdMv, resetMode, 1, 0, 1.0, thresholdMv, false,
                Propagators.Integration.LEAK_THEN_INPUT);
    }

    /**
     * A relay: a neuron that never fires and whose v, after each step, is exactly that step's summed input
     * (beta 0, input gain 1, threshold {@link Float#MAX_VALUE}): with a {@link org.myelin.core.network.Transmission#MEMBRANE
     * membrane} projection out of it, the sum becomes a value that later layers add, as a spike-driven program's
     * real-valued nodes (a convolution's output with its bias, a shortcut's sum, a pooled sum) are added.
     */
    public static DiscreteLifModel relay() {
        return new DiscreteLifModel(0, Double.NaN, Float.MAX_VALUE, ResetMode.TO_VALUE);
    }

    /** 1/tau of the SpikingJelly forms (NaN for the linear one), recovered exactly from beta = 1 - 1/tau. */
    public double inverseTau() {
        return integration == Propagators.Integration.LINEAR ? Double.NaN : 1 - beta;
    }

    /** A neuron updated in every network step. */
    public DiscreteLifModel(double beta, double alpha, double thresholdMv, ResetMode resetMode) {
        this(beta, alpha, thresholdMv, resetMode, 1, 0);
    }

    /** A neuron with input gain 1 that subtracts its threshold. */
    public DiscreteLifModel(double beta, double alpha, double thresholdMv, ResetMode resetMode, int updateEvery,
                            int updatePhase) {
        this(beta, alpha, thresholdMv, resetMode, updateEvery, updatePhase, 1.0, thresholdMv, false);
    }

    /** A neuron that resets in the step it spikes. */
    public DiscreteLifModel(double beta, double alpha, double thresholdMv, ResetMode resetMode, int updateEvery,
                            int updatePhase, double inputGain, double subtractMv) {
        this(beta, alpha, thresholdMv, resetMode, updateEvery, updatePhase, inputGain, subtractMv, false);
    }

    /**
     * The same neuron with snnTorch's default delayed reset (SUBTRACT only): a spike leaves v as it is, and
     * subtractMv is taken off at the next update, after the neuron integrates: v = (beta v + input) - subtractMv.
     */
    public DiscreteLifModel withDelayedReset() {
        return new DiscreteLifModel(beta, alpha, thresholdMv, resetMode, updateEvery, updatePhase, inputGain,
                subtractMv, true, integration);
    }

    /** The same neuron updated every {@code every} network steps, at {@code phase}. */
    public DiscreteLifModel every(int every, int phase) {
        return new DiscreteLifModel(beta, alpha, thresholdMv, resetMode, every, phase, inputGain, subtractMv,
                delayedReset, integration);
    }

    /** The same neuron with its input (synaptic and current) multiplied by {@code gain} into v. */
    public DiscreteLifModel withInputGain(double gain) {
        return new DiscreteLifModel(beta, alpha, thresholdMv, resetMode, updateEvery, updatePhase, gain, subtractMv,
                delayedReset, integration);
    }

    /** The same neuron taking {@code mv} off v at a spike (reset mode SUBTRACT). */
    public DiscreteLifModel withSubtract(double mv) {
        return new DiscreteLifModel(beta, alpha, thresholdMv, resetMode, updateEvery, updatePhase, inputGain, mv,
                delayedReset, integration);
    }

    /** Whether the neuron is the plain form: input gain 1, subtracting its threshold in the spike's step. */
    public boolean plain() {
        return inputGain == 1.0 && subtractMv == thresholdMv && !delayedReset
                && integration == Propagators.Integration.LINEAR;
    }

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
        return new MembraneParameters(1, 0, thresholdMv, resetMv(), 0, 1, 0, resetMode);
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
        if (!(inputGain > 0) || Double.isInfinite(inputGain)) {
            throw new MyelinException(owner + ": inputGain must be > 0 and finite, was " + inputGain);
        }
        if (!(subtractMv > 0) || Double.isInfinite(subtractMv)) {
            throw new MyelinException(owner + ": subtractMv must be > 0 mV and finite, was " + subtractMv);
        }
        if (integration == null) {
            throw new MyelinException(owner + ": integration must be LINEAR, DECAY_INPUT or LEAK_THEN_INPUT, was null");
        }
        if (integration != Propagators.Integration.LINEAR) {
            double inv = 1 - beta;
            if (!Double.isNaN(alpha) || !(inv > 0) || (float) inv != inv
                    || inputGain != (integration == Propagators.Integration.DECAY_INPUT ? inv : 1.0)) {
                throw new MyelinException(owner + ": the SpikingJelly forms need no synaptic current, 0 < 1/tau <= 1 as"
                        + " a float and the input gain 1/tau (DECAY_INPUT) or 1; use DiscreteLifModel.decayInput /"
                        + " leakThenInput");
            }
        }
        if (delayedReset && resetMode != ResetMode.SUBTRACT) {
            throw new MyelinException(owner + ": a delayed reset needs reset mode SUBTRACT (a delayed reset to 0"
                    + " gives the spikes of the immediate one), was " + resetMode);
        }
        if (updateEvery < 1 || updatePhase < 0 || updatePhase >= updateEvery) {
            throw new MyelinException(owner + ": updateEvery must be >= 1 and updatePhase in [0, updateEvery), were "
                    + updateEvery + " and " + updatePhase);
        }
    }

    @Override
    public Propagators discretize(double dtMs) {
        double decaySyn = Double.isNaN(alpha) ? 0.0 : alpha;
        return new Propagators(dtMs, beta, 0.0, inputGain, inputGain, decaySyn, decaySyn, inputGain, 0.0, thresholdMv,
                resetMv(), resetMode, 0, updateEvery, updatePhase, true, delayedReset, integration, inverseTau());
    }

    /**
     * The reset value the engines read: 0 for TO_VALUE; for SUBTRACT, thresholdMv - subtractMv, so that
     * {@link Propagators#subtractMv} (thresholdMv - resetMv) gives subtractMv back (exactly, for float-sized values).
     */
    private double resetMv() {
        return resetMode == ResetMode.SUBTRACT && subtractMv != thresholdMv ? thresholdMv - subtractMv : 0.0;
    }
}
