package org.myelin.experiments.lsm;

import org.myelin.backend.memristor.lsm.Reservoir;

/**
 * One liquid's settings: modality, inputs and the reservoir's size and dynamics.
 *
 * @param audio   cochlea channels (N-TIDIGITS) instead of an image crop (N-MNIST)
 * @param inputs  input channels: the crop's pixels or the cochlea's channels
 * @param neurons reservoir neurons
 * @param bins    time bins (frames) per sample
 * @param decay   membrane decay per bin
 * @param vth     firing threshold
 */
public record Liquid(boolean audio, int inputs, int neurons, int bins, double decay, double vth) {
    /** The reservoir of these settings, its weights drawn with {@code seed}. */
    public Reservoir reservoir(double inputSigma, double recurrentSigma, long seed, LsmConfig.Weights weights) {
        Reservoir r = new Reservoir(inputs, neurons, decay, vth, inputSigma, recurrentSigma, seed);
        return weights == LsmConfig.Weights.SWITCHING ? r.withSwitching(Reservoir.defaultSwitching()) : r;
    }
}
