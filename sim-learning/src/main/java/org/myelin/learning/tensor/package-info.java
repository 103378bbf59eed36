/**
 * Float32 tensors, the tape that records operations for reverse-mode differentiation, and the thread pool
 * of the kernels.
 */
package org.myelin.learning.tensor;
