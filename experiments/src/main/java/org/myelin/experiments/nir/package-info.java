/**
 * The NIR file check: every .nir file of a folder read, written back and read again, imported and run on the cpu
 * backend, exported and imported again ({@link org.myelin.experiments.nir.NirFilesExperiment}); what {@code myelin
 * experiment nir-files} runs.
 */
package org.myelin.experiments.nir;
