/** The N-MNIST binary event format (Orchard et al. 2015) and its folder layout. */
package org.myelin.datasets.nmnist;
