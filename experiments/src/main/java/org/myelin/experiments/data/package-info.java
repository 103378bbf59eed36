/** Data preparation shared by the experiments: MNIST-like IDX image sets and feature standardisation. */
package org.myelin.experiments.data;
