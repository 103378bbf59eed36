/**
 * Myelin's core: the description API ({@link org.myelin.core.network}), neuron models
 * ({@link org.myelin.core.model}), connectivity ({@link org.myelin.core.connect}), counter-based randomness
 * ({@link org.myelin.core.random}), monitors and sinks ({@link org.myelin.core.monitor}), the backend SPI
 * ({@link org.myelin.core.backend}) and the double-precision reference engine
 * ({@link org.myelin.core.reference}). This module depends on the JDK only.
 */
package org.myelin.core;
