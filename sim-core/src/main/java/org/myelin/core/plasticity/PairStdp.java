package org.myelin.core.plasticity;

import java.util.Objects;
import org.myelin.core.MyelinException;

/**
 * Pair-based STDP with exponential traces, as NEST's stdp_synapse and Brian2's STDP examples define it.
 * <pre>
 *   pre trace  x:  dx/dt = -x / tau_plus,   on a pre spike  x &lt;- x + 1 (ALL_TO_ALL) or 1 (NEAREST)
 *   post trace y:  dy/dt = -y / tau_minus,  on a post spike y &lt;- y + 1 (ALL_TO_ALL) or 1 (NEAREST)
 *   post spike:  w &lt;- min(w_max, w + A_plus  * f+(w) * x)
 *   pre spike:   w &lt;- max(w_min, w - A_minus * f-(w) * y)
 *   ADDITIVE:        f+(w) = 1,                                f-(w) = 1
 *   MULTIPLICATIVE:  f+(w) = (w_max - w) / (w_max - w_min),    f-(w) = (w - w_min) / (w_max - w_min)
 * </pre>
 * For one pair with {@code dt = t_post - t_pre} (times at the synapse) the change is {@code A_plus f+(w)
 * exp(-dt / tau_plus)} for dt &gt; 0, {@code -A_minus f-(w) exp(dt / tau_minus)} for dt &lt; 0, and 0 for dt = 0.
 * MULTIPLICATIVE is NEST's stdp_synapse with mu_plus = mu_minus = 1 (van Rossum et al. 2000, soft bounds) with
 * lambda = A_plus / w_max, alpha = A_minus / A_plus and w_min = 0; ADDITIVE is NEST's mu = 0 and Brian2's example.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>unit</th><th>default</th><th>meaning</th></tr>
 * <tr><td>tauPlusMs</td><td>ms</td><td>20</td><td>decay of the pre trace (potentiation window)</td></tr>
 * <tr><td>tauMinusMs</td><td>ms</td><td>20</td><td>decay of the post trace (depression window)</td></tr>
 * <tr><td>aPlus</td><td>mV</td><td>0.01</td><td>potentiation per pair at dt = 0+, &gt;= 0</td></tr>
 * <tr><td>aMinus</td><td>mV</td><td>0.0105</td><td>depression per pair at dt = 0-, &gt;= 0 (positive)</td></tr>
 * <tr><td>wMinMv</td><td>mV</td><td>0</td><td>lower hard bound</td></tr>
 * <tr><td>wMaxMv</td><td>mV</td><td>1</td><td>upper hard bound</td></tr>
 * <tr><td>dependence</td><td></td><td>ADDITIVE</td><td>weight dependence of the update</td></tr>
 * <tr><td>pairing</td><td></td><td>ALL_TO_ALL</td><td>which spikes pair</td></tr>
 * </table>
 */
public record PairStdp(double tauPlusMs, double tauMinusMs, double aPlus, double aMinus, double wMinMv,
                       double wMaxMv, WeightDependence dependence, Pairing pairing) implements PlasticityRule {

    /** How the update depends on the weight. */
    public enum WeightDependence {
        ADDITIVE,
        MULTIPLICATIVE
    }

    public PairStdp {
        Objects.requireNonNull(dependence, "dependence");
        Objects.requireNonNull(pairing, "pairing");
    }

    /** Additive, all-to-all, with the given amplitudes and bounds, tau_plus = tau_minus = 20 ms. */
    public static PairStdp additive(double aPlus, double aMinus, double wMinMv, double wMaxMv) {
        return new PairStdp(20, 20, aPlus, aMinus, wMinMv, wMaxMv, WeightDependence.ADDITIVE, Pairing.ALL_TO_ALL);
    }

    public PairStdp withTaus(double plusMs, double minusMs) {
        return new PairStdp(plusMs, minusMs, aPlus, aMinus, wMinMv, wMaxMv, dependence, pairing);
    }

    public PairStdp with(WeightDependence d) {
        return new PairStdp(tauPlusMs, tauMinusMs, aPlus, aMinus, wMinMv, wMaxMv, d, pairing);
    }

    public PairStdp with(Pairing p) {
        return new PairStdp(tauPlusMs, tauMinusMs, aPlus, aMinus, wMinMv, wMaxMv, dependence, p);
    }

    @Override
    public double preFastTauMs() {
        return tauPlusMs;
    }

    @Override
    public double preSlowTauMs() {
        return tauPlusMs;
    }

    @Override
    public double postFastTauMs() {
        return tauMinusMs;
    }

    @Override
    public double postSlowTauMs() {
        return tauMinusMs;
    }

    @Override
    public double potentiate(double w, double r1, double o2) {
        double f = dependence == WeightDependence.ADDITIVE ? 1.0 : (wMaxMv - w) / (wMaxMv - wMinMv);
        return Math.min(wMaxMv, w + aPlus * f * r1);
    }

    @Override
    public double depress(double w, double o1, double r2) {
        double f = dependence == WeightDependence.ADDITIVE ? 1.0 : (w - wMinMv) / (wMaxMv - wMinMv);
        return Math.max(wMinMv, w - aMinus * f * o1);
    }

    @Override
    public String label() {
        return "pair STDP";
    }

    @Override
    public void validate(String owner) {
        String o = owner + ": pair STDP";
        PlasticityRule.checkTau(o, "tauPlusMs", tauPlusMs);
        PlasticityRule.checkTau(o, "tauMinusMs", tauMinusMs);
        PlasticityRule.checkAmplitude(o, "aPlus", aPlus);
        PlasticityRule.checkAmplitude(o, "aMinus", aMinus);
        PlasticityRule.checkBounds(o, wMinMv, wMaxMv);
        if (dependence == WeightDependence.MULTIPLICATIVE && !Double.isFinite(wMaxMv - wMinMv)) {
            throw new MyelinException(o + ": the weight range must be finite for MULTIPLICATIVE");
        }
    }
}
