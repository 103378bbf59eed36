/**
 * Plasticity rules attached to projections ({@link org.myelin.core.network.Projection#plasticity()}): their
 * equations, parameters and validation, and {@link org.myelin.core.plasticity.StdpReference}, the event-driven
 * double-precision reference that engines are tested against.
 *
 * <p>Timing convention, shared by every engine: a rule sees spikes at the synapse. A presynaptic spike of step
 * {@code s} is at the synapse at step {@code s}; a postsynaptic spike of step {@code n} reaches the synapse at step
 * {@code n + D}, where {@code D = d - 1} is the projection's transmission delay (d its delay in steps): the delay is
 * dendritic, as NEST's stdp_synapse treats it. NEST's minimal delay of one step is itself counted as dendritic, so
 * NEST's window is shifted by one step more than Myelin's; with delay 1 Myelin pairs the emission times, as Brian2
 * does for a synapse without delay. At equal synapse times neither event sees the other (each uses the traces of
 * strictly earlier events, NEST's convention); potentiation is applied before depression.
 */
package org.myelin.core.plasticity;
