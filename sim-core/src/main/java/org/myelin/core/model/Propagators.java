package org.myelin.core.model;

/**
 * The exact one-step propagators of a neuron model for one step of {@code dtMs}, computed once.
 *
 * <p>One step of every model is, with {@code ge} and {@code gi} already holding the input that arrives in
 * this step:
 * <pre>
 *   if not refractory:  v  = restingMv + (v - restingMv) * decayV + ge * excToV + gi * inhToV + i * currentToV
 *   always:             ge = ge * decayExc;   gi = gi * decayInh
 *   if not refractory and v &gt; thresholdMv:  spike; v = resetMv (TO_VALUE) or v - (thresholdMv - resetMv) (SUBTRACT);
 *                                            the next refractorySteps - 1 steps are refractory (v frozen)
 * </pre>
 * where {@code i} is the external current in nA. LIF with delta synapses is the case
 * {@code excToV = inhToV = 1}, {@code decayExc = decayInh = 0}: input jumps the membrane and is gone, and
 * input that arrives while refractory is lost.
 *
 * @param dtMs            step in ms
 * @param decayV          exp(-dt/tauMembrane)
 * @param restingMv       resting potential
 * @param excToV          contribution of the excitatory synaptic variable to v over one step
 * @param inhToV          contribution of the inhibitory synaptic variable to v over one step
 * @param decayExc        one-step decay of the excitatory synaptic variable
 * @param decayInh        one-step decay of the inhibitory synaptic variable
 * @param currentToV      contribution of a constant current of 1 nA to v over one step (mV/nA)
 * @param biasCurrentNa   constant current every neuron of the population receives, nA
 * @param thresholdMv     threshold; a spike needs v strictly above it
 * @param resetMv         reset value
 * @param resetMode       how v is reset
 * @param refractorySteps steps from a spike until the neuron integrates again (0 and 1: no dead time)
 * @param updateEvery     the population takes the step above only in network steps n with
 *                        {@code n % updateEvery == updatePhase} (1: every step); in the other steps nothing decays,
 *                        integrates or fires, and arriving input waits in {@code ge}/{@code gi} for the next update.
 *                        A discrete-time model whose step spans several network steps (a multi-rate network, like
 *                        Brian2's per-group clocks), so that a chain of populations can each take one step per
 *                        sample step in order, one network step apart
 * @param updatePhase     see updateEvery; in [0, updateEvery)
 * @param plainSynapses   whether engines must keep ge and gi as they are (ge = ge * decayExc + input, in that order)
 *                        rather than in a rescaled form that saves work but rounds differently; set by models that
 *                        must reproduce another program's arithmetic exactly
 * @param delayedReset    SUBTRACT only: a spike leaves v as it is and the jump is taken off at the neuron's next
 *                        update, after it integrates: {@code v = (v * decayV + input) - subtractMv}, then the
 *                        threshold test (snnTorch's default {@code reset_delay})
 * @param integration     the order of operations of the membrane step; LINEAR is the formula above, the others state
 *                        SpikingJelly's LIF exactly (with I = ge + gi + i, the step's input), in float engines:
 *                        DECAY_INPUT {@code v = v + (I - v) * inverseTau}, LEAK_THEN_INPUT
 *                        {@code v = (v - v * inverseTau) + I}; decayV, excToV, inhToV and currentToV hold the same step
 *                        in the linear form for engines that compute in double or analytically
 * @param inverseTau      1 / tau of the SpikingJelly forms (NaN for LINEAR)
 */
public record Propagators(double dtMs, double decayV, double restingMv, double excToV, double inhToV,
                          double decayExc, double decayInh, double currentToV, double biasCurrentNa,
                          double thresholdMv, double resetMv, ResetMode resetMode, int refractorySteps,
                          int updateEvery, int updatePhase, boolean plainSynapses, boolean delayedReset,
                          Integration integration, double inverseTau) {

    /** The membrane step's order of operations (see the record's comment). */
    public enum Integration { LINEAR, DECAY_INPUT, LEAK_THEN_INPUT }

    public Propagators {
        if (updateEvery < 1 || updatePhase < 0 || updatePhase >= updateEvery) {
            throw new IllegalArgumentException("propagators: updateEvery must be >= 1 and updatePhase in [0, "
                    + "updateEvery), were " + updateEvery + " and " + updatePhase);
        }
        if (integration == null) {
            throw new IllegalArgumentException("propagators: integration must be given");
        }
        if (integration != Integration.LINEAR && (!(inverseTau > 0 && inverseTau <= 1) || restingMv != 0
                || decayExc != 0 || decayInh != 0)) {
            throw new IllegalArgumentException("propagators: the SpikingJelly forms need 0 < inverseTau <= 1, rest 0"
                    + " and delta synapses, were " + inverseTau + ", " + restingMv + ", " + decayExc + ", " + decayInh);
        }
        if (delayedReset && (resetMode != ResetMode.SUBTRACT || refractorySteps > 1)) {
            throw new IllegalArgumentException("propagators: a delayed reset needs reset mode SUBTRACT and no"
                    + " refractory period, were " + resetMode + " and " + refractorySteps + " steps");
        }
    }

    /** With the reset in the spike's step. */
    public Propagators(double dtMs, double decayV, double restingMv, double excToV, double inhToV,
                       double decayExc, double decayInh, double currentToV, double biasCurrentNa,
                       double thresholdMv, double resetMv, ResetMode resetMode, int refractorySteps,
                       int updateEvery, int updatePhase, boolean plainSynapses) {
        this(dtMs, decayV, restingMv, excToV, inhToV, decayExc, decayInh, currentToV, biasCurrentNa, thresholdMv,
                resetMv, resetMode, refractorySteps, updateEvery, updatePhase, plainSynapses, false);
    }

    /** With the linear membrane step. */
    public Propagators(double dtMs, double decayV, double restingMv, double excToV, double inhToV,
                       double decayExc, double decayInh, double currentToV, double biasCurrentNa,
                       double thresholdMv, double resetMv, ResetMode resetMode, int refractorySteps,
                       int updateEvery, int updatePhase, boolean plainSynapses, boolean delayedReset) {
        this(dtMs, decayV, restingMv, excToV, inhToV, decayExc, decayInh, currentToV, biasCurrentNa, thresholdMv,
                resetMv, resetMode, refractorySteps, updateEvery, updatePhase, plainSynapses, delayedReset,
                Integration.LINEAR, Double.NaN);
    }

    /** Propagators of a population updated in every step, whose synaptic variables an engine may rescale. */
    public Propagators(double dtMs, double decayV, double restingMv, double excToV, double inhToV,
                       double decayExc, double decayInh, double currentToV, double biasCurrentNa,
                       double thresholdMv, double resetMv, ResetMode resetMode, int refractorySteps) {
        this(dtMs, decayV, restingMv, excToV, inhToV, decayExc, decayInh, currentToV, biasCurrentNa, thresholdMv,
                resetMv, resetMode, refractorySteps, 1, 0, false);
    }

    /** Whether the population updates in network step {@code step}. */
    public boolean updatesAt(long step) {
        return updateEvery == 1 || step % updateEvery == updatePhase;
    }

    /** The jump applied by {@link ResetMode#SUBTRACT}. */
    public double subtractMv() {
        return thresholdMv - resetMv;
    }

    /**
     * Exact contribution over one step h of a synaptic variable decaying with tauSyn to a membrane with
     * tauMembrane: tauSyn/(tauSyn - tauM) * (exp(-h/tauSyn) - exp(-h/tauM)), written with expm1 so it stays
     * accurate as tauSyn approaches tauM, and equal to its limit (h/tauM) exp(-h/tauM) there.
     */
    public static double synapseToMembrane(double hMs, double tauSynMs, double tauMembraneMs) {
        if (tauSynMs == tauMembraneMs) {
            return hMs / tauMembraneMs * Math.exp(-hMs / tauMembraneMs);
        }
        double x = hMs * (tauSynMs - tauMembraneMs) / (tauMembraneMs * tauSynMs);
        return Math.exp(-hMs / tauMembraneMs) * tauSynMs / (tauSynMs - tauMembraneMs) * Math.expm1(x);
    }

    /** Steps of dead time for a refractory period, rounded as Brian2's timestep() does. */
    public static int refractorySteps(double refractoryMs, double dtMs) {
        return (int) Math.floor(refractoryMs / dtMs + 1e-3);
    }
}
