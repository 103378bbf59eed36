package org.myelin.core.network;

/** A node whose spikes are given, not simulated: it can be a projection's source but never its target. */
public sealed interface SpikeSource extends Node permits PoissonSource, SpikeTrainSource {
}
