/**
 * Training of clock-driven spiking layers with surrogate gradients: tensors laid out as (time, batch,
 * features...) and a tape-based reverse-mode autodiff ({@code tensor}), differentiable operations and losses
 * ({@code ops}), spiking neuron layers with snnTorch's and SpikingJelly's conventions ({@code neuron}),
 * optimisers ({@code optim}), models ({@code model}), the training loop with checkpoints ({@code train}),
 * export of trained models to an {@code org.myelin.core.network.Network} ({@code export}), continual learning
 * ({@code hlop}), the L2MU ({@code lmu}) and spike-driven transformers ({@code sdt}, exported to an
 * {@code org.myelin.core.spikedriven.SpikeProgram}).
 */
package org.myelin.learning;
