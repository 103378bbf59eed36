/**
 * Encoders from data to spike trains, ready for {@link org.myelin.core.network.Network.Builder#spikeTrain}:
 * Poisson rate coding and latency coding of intensities, and binning of address events onto the time grid.
 * Deterministic given a seed (counter-based random numbers).
 */
package org.myelin.datasets.encode;
