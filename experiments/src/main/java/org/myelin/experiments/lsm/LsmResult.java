package org.myelin.experiments.lsm;

import org.myelin.backend.memristor.CrossbarReport;

/**
 * What one liquid-state-machine classification measured.
 *
 * @param liquid        the liquid's settings
 * @param features      the spike-count features (standardised by the readout), their spikes and simulation time
 * @param trainAccuracy the linear readout's accuracy on the training samples (a fraction)
 * @param testAccuracy  its accuracy on the evaluated (test or validation) samples
 */
public record LsmResult(Liquid liquid, LiquidFeatures features, double trainAccuracy, double testAccuracy) {
    /** Training samples. */
    public int trainSamples() {
        return features.xtr().length;
    }

    /** Evaluated (test or validation) samples. */
    public int testSamples() {
        return features.xte().length;
    }

    /** The reservoir's spikes per neuron and training sample. */
    public double spikesPerNeuron() {
        return features.spikesPerNeuron(liquid.neurons());
    }

    /** Wall time of the simulation, seconds. */
    public double simSeconds() {
        return features.seconds();
    }

    /** What the crossbar did (runs 0 off the memristor backend). */
    public CrossbarReport crossbar() {
        return features.crossbar();
    }
}
