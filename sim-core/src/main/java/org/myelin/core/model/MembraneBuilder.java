package org.myelin.core.model;

/** Setters for the {@link MembraneParameters} shared by the model builders. */
public abstract class MembraneBuilder<B extends MembraneBuilder<B>> {
    double tauMembraneMs = MembraneParameters.DEFAULTS.tauMembraneMs();
    double restingMv = MembraneParameters.DEFAULTS.restingMv();
    double thresholdMv = MembraneParameters.DEFAULTS.thresholdMv();
    double resetMv = MembraneParameters.DEFAULTS.resetMv();
    double refractoryMs = MembraneParameters.DEFAULTS.refractoryMs();
    double resistanceMOhm = MembraneParameters.DEFAULTS.resistanceMOhm();
    double biasCurrentNa = MembraneParameters.DEFAULTS.biasCurrentNa();
    ResetMode resetMode = MembraneParameters.DEFAULTS.resetMode();

    MembraneBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B tauMembraneMs(double v) {
        tauMembraneMs = v;
        return self();
    }

    public B restingMv(double v) {
        restingMv = v;
        return self();
    }

    public B thresholdMv(double v) {
        thresholdMv = v;
        return self();
    }

    public B resetMv(double v) {
        resetMv = v;
        return self();
    }

    public B refractoryMs(double v) {
        refractoryMs = v;
        return self();
    }

    public B resistanceMOhm(double v) {
        resistanceMOhm = v;
        return self();
    }

    public B biasCurrentNa(double v) {
        biasCurrentNa = v;
        return self();
    }

    public B resetMode(ResetMode v) {
        resetMode = v;
        return self();
    }

    MembraneParameters membrane() {
        return new MembraneParameters(tauMembraneMs, restingMv, thresholdMv, resetMv, refractoryMs,
                resistanceMOhm, biasCurrentNa, resetMode);
    }
}
