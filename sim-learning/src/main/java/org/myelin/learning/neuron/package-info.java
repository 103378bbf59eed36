/**
 * Spiking neuron layers with surrogate gradients, following the conventions of snnTorch
 * ({@link org.myelin.learning.neuron.LeakyNeuron}) and SpikingJelly
 * ({@link org.myelin.learning.neuron.JellyLifNeuron}) exactly, so that models and hyper-parameters from
 * papers written with either carry over.
 */
package org.myelin.learning.neuron;
