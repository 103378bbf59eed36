/**
 * Neuron models: their equations, parameters with units, validation, and exact discretisation into
 * {@link org.myelin.core.model.Propagators} that every engine uses.
 *
 * <p>Units: time in ms, potentials and synaptic variables in mV, currents in nA, resistance in MOhm
 * (so 1 nA through 1 MOhm is 1 mV). Synaptic weights are in mV: for LIF with delta synapses a weight is the
 * jump of the membrane potential; for CuBa-LIF it is the jump of the synaptic variable, which is the synaptic
 * current already multiplied by the membrane resistance (Brian2's CUBA convention).
 */
package org.myelin.core.model;
