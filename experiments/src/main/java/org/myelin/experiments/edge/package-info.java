/**
 * Model compression for edge boards as a study: a trained model's float32 accuracy against int8, int4 and pruned
 * fixed-point variants on the same test windows, with their sizes and operation counts ({@link
 * org.myelin.experiments.edge.CompressionStudy}); what {@code myelin edge compress} runs.
 */
package org.myelin.experiments.edge;
