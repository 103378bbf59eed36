/**
 * Timed simulation runs: the CUBA benchmark (Brette et al. 2007) and any other network, network construction and
 * compile timed apart from the simulation loop ({@link org.myelin.experiments.bench.BenchmarkRun}); what {@code myelin
 * bench}, {@code demo} and {@code run} time.
 */
package org.myelin.experiments.bench;
