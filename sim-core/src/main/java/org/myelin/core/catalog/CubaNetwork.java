package org.myelin.core.catalog;

import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The CUBA benchmark network (Brette et al. 2007, J. Comput. Neurosci. 23:349; Brian2's examples/CUBA.py):
 * 80 % excitatory and 20 % inhibitory CuBa-LIF neurons, randomly connected.
 *
 * <pre>
 *   dv/dt = (ge + gi - (v - El)) / taum     taum 20 ms, El -49 mV, Vt -50 mV, Vr -60 mV, refractory 5 ms
 *   dge/dt = -ge / taue    taue 5 ms,  excitatory weight 60*0.27/10 = 1.62 mV
 *   dgi/dt = -gi / taui    taui 10 ms, inhibitory weight -20*4.5/10 = -9 mV
 *   v(0) uniform in [Vr, Vt); every ordered pair connected with probability p; self-connections allowed;
 *   no delay (Myelin's delay of 1 step); dt 0.1 ms
 * </pre>
 * Populations {@code exc} (first 80 %) and {@code inh}, both spike-monitored.
 */
public final class CubaNetwork {
    public static final double EXC_WEIGHT_MV = 60 * 0.27 / 10;
    public static final double INH_WEIGHT_MV = -20 * 4.5 / 10;

    private CubaNetwork() {
    }

    /** The classic network: 4000 neurons, p = 0.02. */
    public static Network classic(long seed) {
        return build(4000, 0.02, seed);
    }

    /** The scaled variant: {@code neurons} neurons with p = 80 / neurons (about 80 inputs per neuron). */
    public static Network scaled(int neurons, long seed) {
        return build(neurons, Math.min(1.0, 80.0 / neurons), seed);
    }

    /**
     * The scaled variant ({@code p = 80 / neurons}) with heterogeneous delays: every synapse's delay drawn uniformly
     * from {@code minSteps..maxSteps} steps of 0.1 ms. A distributed run exchanges spikes once per {@code minSteps}.
     */
    public static Network withDelays(int neurons, int minSteps, int maxSteps, long seed) {
        if (minSteps < 1 || maxSteps < minSteps) {
            throw new MyelinException("CUBA network: delays need 1 <= minSteps <= maxSteps, were " + minSteps + ".."
                    + maxSteps);
        }
        return build(neurons, Math.min(1.0, 80.0 / neurons), seed, Distribution.uniformInt(minSteps, maxSteps));
    }

    public static Network build(int neurons, double p, long seed) {
        return build(neurons, p, seed, Distribution.constant(1));
    }

    private static Network build(int neurons, double p, long seed, Distribution delaySteps) {
        if (neurons < 5) {
            throw new MyelinException("CUBA network: neurons must be >= 5, was " + neurons);
        }
        int exc = (int) Math.round(0.8 * neurons);
        CubaLifModel model = CubaLifModel.builder()
                .tauMembraneMs(20).restingMv(-49).thresholdMv(-50).resetMv(-60).refractoryMs(5)
                .tauSynExcMs(5).tauSynInhMs(10).build();
        Distribution v0 = Distribution.uniform(-60, -50);
        Network.Builder b = Network.builder().dtMs(0.1).seed(seed)
                .population("exc", exc, model, v0)
                .population("inh", neurons - exc, model, v0);
        for (String src : new String[] {"exc", "inh"}) {
            boolean e = src.equals("exc");
            for (String tgt : new String[] {"exc", "inh"}) {
                b.projection(Projection.between(src, tgt)
                        .connect(Connectivity.fixedProbability(p))
                        .weightMv(e ? EXC_WEIGHT_MV : INH_WEIGHT_MV)
                        .receptor(e ? Receptor.EXCITATORY : Receptor.INHIBITORY)
                        .delaySteps(delaySteps));
            }
        }
        return b.monitorSpikes("exc").monitorSpikes("inh").build();
    }
}
