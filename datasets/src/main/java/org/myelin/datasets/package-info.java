/**
 * Dataset readers (IDX, N-MNIST, N-TIDIGITS, SHD, WISDM, AER event streams), spike encoders and event
 * emulators.
 *
 * <p>Not built yet: this module is a placeholder until the datasets issue lands. It holds no classes on
 * purpose.
 */
package org.myelin.datasets;
