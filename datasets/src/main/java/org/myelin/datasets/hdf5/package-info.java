/** Opening HDF5 files with jhdf and finding datasets, with errors that name the file and the HDF5 path. */
package org.myelin.datasets.hdf5;
