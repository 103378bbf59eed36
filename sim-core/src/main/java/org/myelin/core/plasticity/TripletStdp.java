package org.myelin.core.plasticity;

import java.util.Objects;

/**
 * Triplet STDP (Pfister and Gerstner 2006), as NEST's stdp_triplet_synapse: two traces per side, additive
 * updates with hard bounds.
 * <pre>
 *   pre traces:  dr1/dt = -r1 / tau_plus,   dr2/dt = -r2 / tau_x     on a pre spike:  r &lt;- r + 1 (or 1, NEAREST)
 *   post traces: do1/dt = -o1 / tau_minus,  do2/dt = -o2 / tau_y     on a post spike: o &lt;- o + 1 (or 1, NEAREST)
 *   post spike: w &lt;- min(w_max, w + r1 * (A2_plus  + A3_plus  * o2(t-)))
 *   pre spike:  w &lt;- max(w_min, w - o1 * (A2_minus + A3_minus * r2(t-)))
 * </pre>
 * {@code t-}: just before the spike, so a spike's own trace jump does not enter its update. Closed forms: a pair
 * pre-post with {@code dt > 0} gives {@code A2_plus exp(-dt / tau_plus)}; post-pre gives {@code -A2_minus exp(dt /
 * tau_minus)}; a triplet pre(0)-post(t1)-post(t2), 0 &lt; t1 &lt; t2, gives {@code A2_plus exp(-t1 / tau_plus)
 * + exp(-t2 / tau_plus) (A2_plus + A3_plus exp(-(t2 - t1) / tau_y))} (all-to-all, without bounds). ALL_TO_ALL is
 * Pfister's all-to-all model (NEST's rule); NEAREST is Pfister's minimal nearest-spike model.
 *
 * <table>
 * <caption>Parameters (Pfister and Gerstner's visual-cortex all-to-all fit as defaults)</caption>
 * <tr><th>parameter</th><th>unit</th><th>default</th><th>meaning</th></tr>
 * <tr><td>tauPlusMs</td><td>ms</td><td>16.8</td><td>decay of r1</td></tr>
 * <tr><td>tauXMs</td><td>ms</td><td>101</td><td>decay of r2</td></tr>
 * <tr><td>tauMinusMs</td><td>ms</td><td>33.7</td><td>decay of o1</td></tr>
 * <tr><td>tauYMs</td><td>ms</td><td>125</td><td>decay of o2</td></tr>
 * <tr><td>a2Plus</td><td>mV</td><td>5e-10</td><td>pair potentiation</td></tr>
 * <tr><td>a3Plus</td><td>mV</td><td>6.2e-3</td><td>triplet potentiation</td></tr>
 * <tr><td>a2Minus</td><td>mV</td><td>7e-3</td><td>pair depression (positive)</td></tr>
 * <tr><td>a3Minus</td><td>mV</td><td>2.3e-4</td><td>triplet depression (positive)</td></tr>
 * <tr><td>wMinMv, wMaxMv</td><td>mV</td><td>0, 1</td><td>hard bounds</td></tr>
 * <tr><td>pairing</td><td></td><td>ALL_TO_ALL</td><td>which spikes pair</td></tr>
 * </table>
 */
public record TripletStdp(double tauPlusMs, double tauXMs, double tauMinusMs, double tauYMs, double a2Plus,
                          double a3Plus, double a2Minus, double a3Minus, double wMinMv, double wMaxMv,
                          Pairing pairing) implements PlasticityRule {

    public TripletStdp {
        Objects.requireNonNull(pairing, "pairing");
    }

    /** Pfister and Gerstner's all-to-all visual-cortex parameters, bounds [0, 1] mV. */
    public static TripletStdp visualCortex() {
        return new TripletStdp(16.8, 101, 33.7, 125, 5e-10, 6.2e-3, 7e-3, 2.3e-4, 0, 1, Pairing.ALL_TO_ALL);
    }

    public TripletStdp with(Pairing p) {
        return new TripletStdp(tauPlusMs, tauXMs, tauMinusMs, tauYMs, a2Plus, a3Plus, a2Minus, a3Minus, wMinMv,
                wMaxMv, p);
    }

    public TripletStdp withAmplitudes(double a2p, double a3p, double a2m, double a3m) {
        return new TripletStdp(tauPlusMs, tauXMs, tauMinusMs, tauYMs, a2p, a3p, a2m, a3m, wMinMv, wMaxMv, pairing);
    }

    public TripletStdp withBounds(double wMin, double wMax) {
        return new TripletStdp(tauPlusMs, tauXMs, tauMinusMs, tauYMs, a2Plus, a3Plus, a2Minus, a3Minus, wMin, wMax,
                pairing);
    }

    @Override
    public double preFastTauMs() {
        return tauPlusMs;
    }

    @Override
    public double preSlowTauMs() {
        return tauXMs;
    }

    @Override
    public double postFastTauMs() {
        return tauMinusMs;
    }

    @Override
    public double postSlowTauMs() {
        return tauYMs;
    }

    @Override
    public double potentiate(double w, double r1, double o2) {
        return Math.min(wMaxMv, w + r1 * (a2Plus + a3Plus * o2));
    }

    @Override
    public double depress(double w, double o1, double r2) {
        return Math.max(wMinMv, w - o1 * (a2Minus + a3Minus * r2));
    }

    @Override
    public String label() {
        return "triplet STDP";
    }

    @Override
    public void validate(String owner) {
        String o = owner + ": triplet STDP";
        PlasticityRule.checkTau(o, "tauPlusMs", tauPlusMs);
        PlasticityRule.checkTau(o, "tauXMs", tauXMs);
        PlasticityRule.checkTau(o, "tauMinusMs", tauMinusMs);
        PlasticityRule.checkTau(o, "tauYMs", tauYMs);
        PlasticityRule.checkAmplitude(o, "a2Plus", a2Plus);
        PlasticityRule.checkAmplitude(o, "a3Plus", a3Plus);
        PlasticityRule.checkAmplitude(o, "a2Minus", a2Minus);
        PlasticityRule.checkAmplitude(o, "a3Minus", a3Minus);
        PlasticityRule.checkBounds(o, wMinMv, wMaxMv);
    }
}
