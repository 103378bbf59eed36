package org.myelin.experiments.sdt;

import java.util.List;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.spikedriven.SpikeProgram;

/**
 * The energy estimate of the spike-driven transformer papers, at 45 nm: 4.6 pJ per multiply-accumulate (the first,
 * real-valued layer) and 0.9 pJ per accumulate (every layer reading spikes).
 */
public final class SdtEnergyModel {
    /** Energy of one multiply-accumulate, pJ. */
    public static final double E_MAC_PJ = 4.6;
    /** Energy of one accumulate, pJ. */
    public static final double E_AC_PJ = 0.9;

    private SdtEnergyModel() {
    }

    /** Energy per image from the engine's counters, pJ: E_MAC x MACs + E_AC x ACs. */
    public static double countedPj(double macsPerImage, double acsPerImage) {
        return E_MAC_PJ * macsPerImage + E_AC_PJ * acsPerImage;
    }

    /**
     * The papers' estimate in pJ per image: E_MAC x FLOPs(first layer) + E_AC x sum over the other synaptic layers
     * of firing rate (of the spikes they read, measured on the engine) x T x FLOPs (dense operations per step).
     */
    public static double paperPj(SpikeProgram p, List<SpikeDrivenEngine.Result> results) {
        int nodes = p.nodes().size();
        double[] spikes = new double[nodes];
        for (SpikeDrivenEngine.Result r : results) {
            for (int k = 0; k < nodes; k++) {
                spikes[k] += r.spikes()[k];
            }
        }
        double images = Math.max(1, results.size());
        double e = 0;
        for (int k = 0; k < nodes; k++) {
            SpikeProgram.Node node = p.nodes().get(k);
            int reads;
            if (node instanceof SpikeProgram.Conv c) {
                if (c.input() == 0) {
                    e += E_MAC_PJ * p.denseOps(k);
                    continue;
                }
                reads = c.input();
            } else if (node instanceof SpikeProgram.Dense d) {
                reads = d.input();
            } else if (node instanceof SpikeProgram.Attention a) {
                reads = a.q();
            } else if (node instanceof SpikeProgram.TokenCount t) {
                reads = t.k();
            } else {
                continue;
            }
            // a gate's spikes are not counted by the engine: its rate is read from the queries it passes
            int source = p.nodes().get(reads) instanceof SpikeProgram.Gate g ? g.q() : reads;
            double rate = spikes[source] / (images * p.size(source) * p.steps());
            e += E_AC_PJ * rate * p.steps() * p.denseOps(k);
        }
        return e;
    }
}
