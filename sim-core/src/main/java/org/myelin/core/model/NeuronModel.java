package org.myelin.core.model;

import java.util.List;

/**
 * A point-neuron model: its state variables, its parameters, and its exact discretisation. Models are
 * immutable values; engines never see a model, only its {@link Propagators}.
 */
public sealed interface NeuronModel permits LifModel, CubaLifModel, DiscreteLifModel {

    /** A short name used in reports and files: {@code lif}, {@code cuba-lif}. */
    String kind();

    /** Names of the state variables a state monitor can record: {@code v}, {@code ge}, {@code gi}. */
    List<String> stateVariables();

    /** The membrane parameters shared by every model. */
    MembraneParameters membrane();

    /**
     * Checks every parameter and throws {@link org.myelin.core.MyelinException} naming {@code owner}, the
     * parameter, the bad value and the allowed range.
     */
    void validate(String owner);

    /** Exact propagators for steps of {@code dtMs}. */
    Propagators discretize(double dtMs);

    /**
     * The model in continuous time, for engines that do not step; a model defined in discrete time throws
     * {@link org.myelin.core.MyelinException} saying so.
     */
    ContinuousDynamics continuous();
}
