package org.myelin.learning.neuron;

import org.myelin.learning.tensor.Tensor;

/**
 * What a spiking layer returns for a whole sequence: spikes (time, batch, features) of 0s and 1s, and the
 * membrane potential at each step (the value the spike was decided on, before any reset of that step).
 */
public record NeuronOutput(Tensor spikes, Tensor membrane) {
}
