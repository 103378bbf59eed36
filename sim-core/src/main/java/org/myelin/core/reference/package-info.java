/**
 * The reference engine: double precision, one thread, every neuron updated every step, written to be
 * obviously correct rather than fast. It is the oracle other backends are tested against.
 */
package org.myelin.core.reference;
