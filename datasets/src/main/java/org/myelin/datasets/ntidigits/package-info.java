/** N-TIDIGITS (Anumula et al. 2018): spoken digits recorded with a silicon cochlea, one HDF5 file. */
package org.myelin.datasets.ntidigits;
