/**
 * Edge deployment: compression of trained networks, the model image format, the serial protocol
 * (jSerialComm) and the host side of the portable C runtime in {@code firmware/}.
 *
 * <p>Not built yet: this module is a placeholder until the edge-deployment issue lands. It holds no
 * classes on purpose.
 */
package org.myelin.backend.edge;
