/**
 * The immutable description of a network: populations of neurons, spike sources (Poisson, explicit spike
 * trains), projections, current inputs and monitors, built and validated by {@link
 * org.myelin.core.network.Network#builder()}. A description holds no simulation state.
 *
 * <p>Time is an integer step counter; {@code dtMs} is part of the description. Step {@code n} advances the
 * state from time {@code n*dt} to {@code (n+1)*dt}; a spike emitted in step {@code n} carries step {@code n}
 * (time {@code n*dt}, Brian2's convention). A synaptic delay of {@code d} steps makes a spike of step
 * {@code n} act on the target from the update of step {@code n + d} on, so {@code d = 1} is Brian2's
 * "no delay" and NEST's minimum delay.
 */
package org.myelin.core.network;
