/**
 * A trained model file classifying its test set on a core backend, sample by sample through the exact export, with
 * every prediction compared with the training framework's own inference ({@link
 * org.myelin.experiments.core.CoreRun}); what {@code myelin run MODEL --data DATA} runs.
 */
package org.myelin.experiments.core;
