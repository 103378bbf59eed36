package org.myelin.core.network;

/** Anything that emits spikes and can be the source of a projection: a population or a spike source. */
public sealed interface Node permits Population, SpikeSource {
    String name();

    int size();
}
