package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.EventPreciseEngine.HORIZON_TAUS;

import org.myelin.core.model.ContinuousDynamics;
import org.myelin.core.model.MembraneParameters;
import org.myelin.core.model.ResetMode;

/**
 * One population of the event-driven precise engine: the constants of its continuous model (time constants, the
 * coefficients of the closed-form trajectory, threshold, reset and refractory period in ms).
 */
final class PrecisePopulation {
    final int from;
    final int to;
    final double tauM;
    final double tauE;
    final double tauI;
    final boolean delta;
    final double kE;
    final double kI;
    final boolean equalE;
    final boolean equalI;
    final double r;
    final double vt;
    final double reset;
    final double subtract;
    final boolean bySubtraction;
    final double refractoryMs;
    final double resting;
    final double bias;
    final double horizon;

    PrecisePopulation(int from, int to, ContinuousDynamics d) {
        MembraneParameters m = d.membrane();
        this.from = from;
        this.to = to;
        tauM = m.tauMembraneMs();
        delta = d.delta();
        tauE = delta ? 0 : d.tauSynExcMs();
        tauI = delta ? 0 : d.tauSynInhMs();
        equalE = !delta && Math.abs(tauE - tauM) <= 1e-12 * tauM;
        equalI = !delta && Math.abs(tauI - tauM) <= 1e-12 * tauM;
        kE = delta || equalE ? 0 : tauE / (tauE - tauM);
        kI = delta || equalI ? 0 : tauI / (tauI - tauM);
        r = m.resistanceMOhm();
        resting = m.restingMv();
        vt = m.thresholdMv() - resting;
        reset = m.resetMv() - resting;
        subtract = m.thresholdMv() - m.resetMv();
        bySubtraction = m.resetMode() == ResetMode.SUBTRACT;
        refractoryMs = m.refractoryMs();
        bias = m.biasCurrentNa();
        horizon = HORIZON_TAUS * Math.max(tauM, Math.max(tauE, tauI));
    }
}
