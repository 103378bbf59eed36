/** Trainable spiking models built from the layers of {@code org.myelin.learning.neuron}. */
package org.myelin.learning.model;
