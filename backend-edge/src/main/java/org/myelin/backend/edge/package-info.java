/**
 * Edge deployment: compression of trained networks ({@link org.myelin.backend.edge.Compression}, the integer reference
 * {@link org.myelin.backend.edge.FixedPointNet}) and the model image format ({@link org.myelin.backend.edge.ModelImage}).
 * The serial protocol (jSerialComm) and the host side of the portable C runtime in {@code firmware/} come next.
 */
package org.myelin.backend.edge;
