package org.myelin.core.plasticity;

/**
 * A learning rule of a projection's synapses, driven by spikes at the synapse through exponential traces: two per
 * source neuron ({@code r1} with {@link #preFastTauMs}, {@code r2} with {@link #preSlowTauMs}) and two per target
 * neuron ({@code o1} with {@link #postFastTauMs}, {@code o2} with {@link #postSlowTauMs}). A trace decays exactly
 * between spikes, {@code x(t) = x(t0) exp(-(t - t0) / tau)}, and on a spike jumps by 1 (all-to-all pairing) or is
 * set to 1 (nearest-spike pairing). On a postsynaptic spike the weight becomes
 * {@link #potentiate potentiate(w, r1, o2)}, on a presynaptic spike {@link #depress depress(w, o1, r2)}, each with
 * the trace values just before the spike (see the package comment for the timing convention).
 */
public sealed interface PlasticityRule permits PairStdp, TripletStdp {

    /** How spikes pair: every earlier spike of the other side counts, or only the nearest one. */
    enum Pairing {
        /** Traces jump by 1 on a spike: every pair contributes (NEST stdp_synapse, Brian2's STDP example). */
        ALL_TO_ALL,
        /** Traces are set to 1 on a spike: a spike pairs with the nearest earlier spike of the other side only. */
        NEAREST
    }

    Pairing pairing();

    double preFastTauMs();

    double preSlowTauMs();

    double postFastTauMs();

    double postSlowTauMs();

    /** Lower bound of the weight, mV. */
    double wMinMv();

    /** Upper bound of the weight, mV. */
    double wMaxMv();

    /** The weight after a postsynaptic spike: {@code r1}, {@code o2} the pre fast and post slow traces before it. */
    double potentiate(double w, double r1, double o2);

    /** The weight after a presynaptic spike: {@code o1}, {@code r2} the post fast and pre slow traces before it. */
    double depress(double w, double o1, double r2);

    /** A short name for messages, e.g. {@code "pair STDP"}. */
    String label();

    /** Throws with {@code owner} and the parameter's name when a parameter is out of range. */
    void validate(String owner);

    /** A trace {@code x} after a spike: {@code x + 1} or 1. */
    default double bump(double x) {
        return pairing() == Pairing.NEAREST ? 1.0 : x + 1.0;
    }

    /** Checks a time constant. */
    static void checkTau(String owner, String name, double tauMs) {
        if (!(tauMs > 0) || Double.isInfinite(tauMs)) {
            throw new org.myelin.core.MyelinException(owner + ": " + name + " must be > 0 and finite, was " + tauMs
                    + " ms");
        }
    }

    /** Checks an amplitude. */
    static void checkAmplitude(String owner, String name, double a) {
        if (!(a >= 0) || Double.isInfinite(a)) {
            throw new org.myelin.core.MyelinException(owner + ": " + name + " must be >= 0 and finite (depression"
                    + " amplitudes are given as positive numbers), was " + a);
        }
    }

    /** Checks the weight bounds. */
    static void checkBounds(String owner, double wMin, double wMax) {
        if (!Double.isFinite(wMin) || !Double.isFinite(wMax) || !(wMax > wMin)) {
            throw new org.myelin.core.MyelinException(owner + ": wMaxMv must be finite and > wMinMv, was wMinMv = "
                    + wMin + " mV, wMaxMv = " + wMax + " mV");
        }
    }
}
