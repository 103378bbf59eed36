/** Optimisers (SGD with momentum, Adam, AdamW, with PyTorch's update rules) and learning-rate schedules. */
package org.myelin.learning.optim;
