/**
 * The training loop: seeded shuffling and encoding, progress bar, metrics log, epoch checkpoints and exact
 * resumption.
 */
package org.myelin.learning.train;
