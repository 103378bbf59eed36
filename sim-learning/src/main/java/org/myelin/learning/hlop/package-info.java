/**
 * HLOP: Hebbian learning based orthogonal projection for continual learning of spiking networks (lateral
 * neurons learning each layer's principal input subspace with Oja's rule, weight updates projected orthogonally
 * to it), its baselines and the continual-learning benchmark loop.
 */
package org.myelin.learning.hlop;
