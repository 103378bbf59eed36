/**
 * Spike-driven transformers: Meta-SpikeFormer (Spike-driven Transformer V2) and V1's attention as trainable
 * layers ({@link org.myelin.learning.sdt.MetaSpikeFormer}, its architecture as data in
 * {@link org.myelin.learning.sdt.SdtSpec}, its training in {@link org.myelin.learning.sdt.SdtTraining}), exported
 * with every batch norm and RepConv folded to a spike-driven program of sim-core that a backend runs with
 * additions only after the first layer.
 */
package org.myelin.learning.sdt;
