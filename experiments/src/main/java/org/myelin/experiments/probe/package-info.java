/** A deterministic linear classifier on fixed features: the readout of liquids and the sanity check of emulated data. */
package org.myelin.experiments.probe;
