/**
 * Training of clock-driven spiking layers: a tape-based reverse-mode autodiff over {@code float[]}-backed
 * tensors laid out as (time, batch, features...), surrogate gradients, BPTT and online trace-based methods,
 * optimisers, losses and checkpoints; the HLOP, L2MU, liquid-state-machine and spike-driven-transformer
 * models; and export of every trained model to an {@code org.myelin.core.network.Network}.
 *
 * <p>Not built yet: this module is a placeholder until the learning-framework issue lands. It holds no
 * classes on purpose.
 */
package org.myelin.learning;
