/**
 * Emulators that make real-shaped event data offline: a DVS emulator that turns still images into
 * N-MNIST-like streams. Deterministic given a seed.
 */
package org.myelin.datasets.emulate;
