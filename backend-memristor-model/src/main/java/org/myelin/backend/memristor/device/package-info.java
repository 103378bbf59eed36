/**
 * Resistive-memory device models: how a target conductance ends up programmed (finite levels, programming noise,
 * device-to-device variation, stuck faults), how it drifts and how each read is noisy, and how an ADC digitises
 * column currents. Every effect is switchable and seeded with counter-based randomness, so a device's fate does not
 * depend on the order it is computed in.
 */
package org.myelin.backend.memristor.device;
