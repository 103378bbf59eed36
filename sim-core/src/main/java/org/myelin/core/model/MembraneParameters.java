package org.myelin.core.model;

import org.myelin.core.MyelinException;

/**
 * Membrane parameters shared by LIF and CuBa-LIF: {@code tauMembraneMs dv/dt = -(v - restingMv) + syn +
 * resistanceMOhm * I}.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>unit</th><th>default</th><th>meaning</th></tr>
 * <tr><td>tauMembraneMs</td><td>ms</td><td>20</td><td>membrane time constant</td></tr>
 * <tr><td>restingMv</td><td>mV</td><td>-70</td><td>resting (leak reversal) potential</td></tr>
 * <tr><td>thresholdMv</td><td>mV</td><td>-50</td><td>spike when v is strictly above</td></tr>
 * <tr><td>resetMv</td><td>mV</td><td>-70</td><td>reset value (or base of the subtraction)</td></tr>
 * <tr><td>refractoryMs</td><td>ms</td><td>2</td><td>dead time after a spike, v frozen</td></tr>
 * <tr><td>resistanceMOhm</td><td>MOhm</td><td>100</td><td>turns external current (nA) into mV</td></tr>
 * <tr><td>biasCurrentNa</td><td>nA</td><td>0</td><td>constant current into every neuron</td></tr>
 * <tr><td>resetMode</td><td>-</td><td>TO_VALUE</td><td>reset to value or by subtraction</td></tr>
 * </table>
 */
public record MembraneParameters(double tauMembraneMs, double restingMv, double thresholdMv, double resetMv,
                                 double refractoryMs, double resistanceMOhm, double biasCurrentNa,
                                 ResetMode resetMode) {

    public static final MembraneParameters DEFAULTS =
            new MembraneParameters(20, -70, -50, -70, 2, 100, 0, ResetMode.TO_VALUE);

    /** Throws if a parameter is out of range; messages start with {@code owner}. */
    public void validate(String owner) {
        positive(owner, "tauMembraneMs", tauMembraneMs, "ms");
        finite(owner, "restingMv", restingMv, "mV");
        finite(owner, "thresholdMv", thresholdMv, "mV");
        finite(owner, "resetMv", resetMv, "mV");
        finite(owner, "biasCurrentNa", biasCurrentNa, "nA");
        if (!(refractoryMs >= 0) || Double.isInfinite(refractoryMs)) {
            throw new MyelinException(owner + ": refractoryMs must be >= 0 ms and finite, was " + refractoryMs + " ms");
        }
        if (!(resistanceMOhm >= 0) || Double.isInfinite(resistanceMOhm)) {
            throw new MyelinException(owner + ": resistanceMOhm must be >= 0 MOhm and finite, was "
                    + resistanceMOhm + " MOhm");
        }
        if (resetMode == null) {
            throw new MyelinException(owner + ": resetMode must be TO_VALUE or SUBTRACT, was null");
        }
        if (resetMode == ResetMode.SUBTRACT && !(resetMv < thresholdMv)) {
            throw new MyelinException(owner + ": resetMv must be < thresholdMv (" + thresholdMv
                    + " mV) for reset by subtraction, was " + resetMv + " mV");
        }
        if (resetMode == ResetMode.TO_VALUE && resetMv > thresholdMv) {
            throw new MyelinException(owner + ": resetMv must be <= thresholdMv (" + thresholdMv
                    + " mV; a reset above the threshold fires again at once), was " + resetMv + " mV");
        }
    }

    static void positive(String owner, String name, double value, String unit) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new MyelinException(owner + ": " + name + " must be > 0 " + unit + " and finite, was " + value
                    + " " + unit);
        }
    }

    static void finite(String owner, String name, double value, String unit) {
        if (!Double.isFinite(value)) {
            throw new MyelinException(owner + ": " + name + " must be a finite number of " + unit + ", was " + value);
        }
    }

    Propagators propagators(double dtMs, double excToV, double inhToV, double decayExc, double decayInh) {
        double decayV = Math.exp(-dtMs / tauMembraneMs);
        return new Propagators(dtMs, decayV, restingMv, excToV, inhToV, decayExc, decayInh,
                resistanceMOhm * -Math.expm1(-dtMs / tauMembraneMs), biasCurrentNa, thresholdMv, resetMv,
                resetMode, Propagators.refractorySteps(refractoryMs, dtMs));
    }
}
