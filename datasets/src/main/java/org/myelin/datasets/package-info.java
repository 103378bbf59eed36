/**
 * Datasets and encoders: readers for real file formats (IDX, N-MNIST, Myelin's AER), event streams, and
 * encoders that turn images or events into spike trains for a {@link org.myelin.core.network.Network}.
 * Readers stream sample by sample and refuse damaged input with the file and byte offset. Still to come:
 * N-TIDIGITS, SHD and WISDM readers, verified downloads, and the DVS and cochlea emulators.
 */
package org.myelin.datasets;
