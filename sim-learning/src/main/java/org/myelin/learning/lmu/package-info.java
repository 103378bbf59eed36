/**
 * Legendre Memory Units: the Legendre delay system (continuous A and B), its zero-order-hold discretisation
 * through the matrix exponential, the building blocks of the L2MU spiking memory.
 */
package org.myelin.learning.lmu;
