/**
 * Differentiable operations on {@link org.myelin.learning.tensor.Tensor}s: linear maps (dense and
 * spike-sparse), element-wise operations, reductions and losses. Each records its backward step on a
 * {@link org.myelin.learning.tensor.Tape}.
 */
package org.myelin.learning.ops;
