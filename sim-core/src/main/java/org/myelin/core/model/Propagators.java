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
 */
public record Propagators(double dtMs, double decayV, double restingMv, double excToV, double inhToV,
                          double decayExc, double decayInh, double currentToV, double biasCurrentNa,
                          double thresholdMv, double resetMv, ResetMode resetMode, int refractorySteps) {

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
