package org.myelin.backend.cpu;

import java.util.List;

/**
 * A simulation's state between steps {@code step - 1} and {@code step}, in a form every float engine can take:
 * how the automatic mode hands a running network from the clock engine to the event-driven one.
 *
 * @param step        the next step to simulate
 * @param u           membrane potential relative to rest, per neuron
 * @param ge          excitatory synaptic variable (its true value), per neuron
 * @param gi          inhibitory synaptic variable, per neuron
 * @param frozenUntil last refractory (frozen) step of each neuron, or -1
 * @param current     external current in force, per neuron, or null when there is none
 * @param delayed     input in flight: {step due, neuron (or -neuron - 1 when inhibitory), float bits of the sum}
 * @param lastSpikes  global indices that spiked in step {@code step - 1}, neurons then generators, ascending
 */
record BoundaryState(long step, float[] u, float[] ge, float[] gi, int[] frozenUntil, float[] current,
                     List<long[]> delayed, int[] lastSpikes) {
}
