/**
 * The production CPU engine: float32 struct-of-arrays neuron state, clock-driven neuron update with
 * event-driven spike delivery (CSR by source, split per thread partition), and a fixed pool of worker
 * threads, each owning a contiguous range of target neurons so that no atomics are needed. Every target
 * sums its input in ascending source order, so spikes are bit-identical for any thread count.
 */
package org.myelin.backend.cpu;
