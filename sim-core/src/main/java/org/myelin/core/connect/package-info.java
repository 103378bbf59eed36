/**
 * Connectivity rules, value distributions for weights, delays and initial states, and the deterministic
 * expansion of a projection into its synapses (the same synapses on every backend and thread count).
 */
package org.myelin.core.connect;
