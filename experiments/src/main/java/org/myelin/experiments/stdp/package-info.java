/** Plasticity experiments on the core: Song, Miller and Abbott's 2000 STDP experiment. */
package org.myelin.experiments.stdp;
