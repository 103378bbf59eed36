/**
 * The Neuromorphic Intermediate Representation (NIR, Pedersen et al. 2024): reading {@code .nir} files (HDF5, as
 * NIR's own writer lays them out) into a checked graph of nodes and edges, and describing them. Import into a
 * network and export come with the rest of the NIR issue.
 */
package org.myelin.nir;
