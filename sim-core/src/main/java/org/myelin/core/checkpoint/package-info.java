/**
 * Checkpoints: the complete state of a compiled network written to a file and read back, in the same or
 * another process, so that the continued run is bit-identical to an uninterrupted one. A versioned format with
 * a CRC-32 and the network's fingerprint; files are written to a temporary file and moved into place, so a
 * failed write never replaces a good checkpoint.
 */
package org.myelin.core.checkpoint;
