package org.myelin.core.network;

import org.myelin.core.connect.Distribution;
import org.myelin.core.model.NeuronModel;

/**
 * A group of neurons sharing one model and its parameters.
 *
 * @param name      unique within the network
 * @param size      number of neurons, at least 1
 * @param model     the neuron model and its parameters
 * @param initialV  membrane potential at step 0, mV, drawn per neuron
 * @param initialGe excitatory synaptic variable at step 0, mV (CuBa-LIF only)
 * @param initialGi inhibitory synaptic variable at step 0, mV (CuBa-LIF only)
 */
public record Population(String name, int size, NeuronModel model, Distribution initialV, Distribution initialGe,
                         Distribution initialGi) implements Node {
}
