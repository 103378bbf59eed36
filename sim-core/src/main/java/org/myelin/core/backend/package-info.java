/**
 * The backend SPI: a {@link org.myelin.core.backend.Backend}, found by {@link java.util.ServiceLoader},
 * compiles a {@link org.myelin.core.network.Network} into a {@link org.myelin.core.backend.CompiledNetwork}
 * that owns all simulation state and advances it step by step. A backend that cannot honour a feature
 * refuses the network with a message naming the feature.
 */
package org.myelin.core.backend;
