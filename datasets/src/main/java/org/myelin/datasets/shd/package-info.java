/** The Spiking Heidelberg Digits (SHD) HDF5 files, read with the pure-Java jhdf. */
package org.myelin.datasets.shd;
