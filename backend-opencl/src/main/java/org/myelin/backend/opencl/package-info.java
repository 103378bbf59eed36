/**
 * The OpenCL backend (JOCL): the same networks as the CPU engine, run as OpenCL C 1.2 kernels on GPUs, and on
 * PoCL on the CPU in CI, with fixed-point accumulation so that sums do not depend on the order of atomics.
 *
 * <p>Not built yet: this module is a placeholder until the OpenCL-backend issue lands. It holds no classes
 * on purpose.
 */
package org.myelin.backend.opencl;
