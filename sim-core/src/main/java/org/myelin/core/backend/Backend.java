package org.myelin.core.backend;

import org.myelin.core.network.Network;

/**
 * A simulation engine. Implementations are registered in
 * {@code META-INF/services/org.myelin.core.backend.Backend} and found with {@link Backends#find(String)}.
 */
public interface Backend {

    /** The name users select it by: {@code cpu}, {@code reference}, ... */
    String name();

    /** One line for listings. */
    String description();

    /**
     * Allocates all state for {@code network} and returns it at step 0. Throws
     * {@link org.myelin.core.MyelinException} naming any feature of the network this backend cannot run.
     */
    CompiledNetwork compile(Network network, SimulationConfig config);
}
