package org.myelin.learning.neuron;

import java.util.List;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/** A population of spiking neurons driven by an input current sequence. */
public interface SpikingLayer {
    /**
     * Runs the layer over a current of shape (time, batch, features), or (batch, features) held constant
     * for {@code steps} steps (direct encoding). {@code steps} is ignored for a 3-d current.
     */
    NeuronOutput forward(Tape tape, Tensor current, int steps);

    /** Number of neurons (features). */
    int features();

    /** A one-line description of the neuron model and its parameters (reports, checkpoint fingerprints). */
    String describe();

    /** The trainable tensors (possibly none). */
    List<Tensor> parameters();
}
