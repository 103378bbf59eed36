/**
 * The OpenCL backend (JOCL): the same networks as the CPU engine as OpenCL C 1.2 kernels
 * ({@code myelin.cl} beside these classes), on GPUs and on PoCL on the CPU. Synaptic input is summed as
 * integers ({@link org.myelin.core.backend.FixedPoint}), so atomics in any order give the same sums, and the
 * float arithmetic is that of the CPU engine's fixed-point mode: the two backends agree bit for bit.
 */
package org.myelin.backend.opencl;
