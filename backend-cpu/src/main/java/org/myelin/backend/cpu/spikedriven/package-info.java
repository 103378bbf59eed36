/** The CPU backend's runner of spike-driven programs: additions only after the first layer, with counters. */
package org.myelin.backend.cpu.spikedriven;
