package org.myelin.core.catalog;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.random.CounterRandom;

/**
 * A large, mostly silent network driven by sparse address-event input, the workload event-driven simulation is
 * for: {@code neurons} CuBa-LIF neurons (resting 15 mV below threshold), each with {@code synapses} recurrent
 * inputs (fixed in-degree, weights 0.2-0.6 mV), and one input generator per neuron (one-to-one, 120 mV into the synaptic current: a PSP of about 19 mV, so one input spike fires its neuron) that
 * spikes as a Poisson process at {@code activeFraction * 1000} Hz, so that about {@code activeFraction} of the
 * neurons receive input in any millisecond. The input is a spike train drawn once (geometric gaps, keyed by the
 * seed), so generating it costs O(spikes), not O(neurons x steps).
 */
public final class SparseNetwork {
    private SparseNetwork() {
    }

    public static Network build(int neurons, int synapses, double activeFraction, double durationS, long seed) {
        if (neurons < 2 || synapses < 0 || synapses >= neurons) {
            throw new MyelinException("sparse network: needs neurons >= 2 and 0 <= synapses < neurons, got " + neurons
                    + " and " + synapses);
        }
        if (!(activeFraction > 0 && activeFraction <= 1)) {
            throw new MyelinException("sparse network: active fraction must be in (0, 1], was " + activeFraction);
        }
        double dtMs = 0.1;
        long steps = Math.round(durationS * 1000 / dtMs);
        double rateHz = activeFraction * 1000;
        double pStep = rateHz * dtMs / 1000;
        double logQ = Math.log1p(-Math.min(pStep, 0.999999));
        int stream = CounterRandom.streamOf("sparse/input");
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, (long) (neurons * pStep * steps * 1.2)));
        int[] who = new int[cap];
        long[] when = new long[cap];
        int c = 0;
        for (int i = 0; i < neurons; i++) {
            long t = -1;
            long draw = 0;
            while (true) {
                double u = CounterRandom.uniformPositive(seed, stream, i, draw++);
                t += 1 + (long) Math.floor(Math.log(u) / logQ);
                if (t >= steps) {
                    break;
                }
                if (c == who.length) {
                    who = Arrays.copyOf(who, c * 2);
                    when = Arrays.copyOf(when, c * 2);
                }
                who[c] = i;
                when[c] = t;
                c++;
            }
        }
        CubaLifModel model = CubaLifModel.builder().tauMembraneMs(20).restingMv(-65).thresholdMv(-50).resetMv(-65)
                .refractoryMs(2).tauSynExcMs(5).tauSynInhMs(5).build();
        return Network.builder().dtMs(dtMs).seed(seed)
                .population("net", neurons, model)
                .spikeTrain("aer", neurons, Arrays.copyOf(who, c), Arrays.copyOf(when, c))
                .projection(Projection.between("aer", "net").named("input").connect(Connectivity.oneToOne()).weightMv(120))
                .projection(Projection.between("net", "net").named("recurrent")
                        .connect(Connectivity.fixedInDegree(synapses)).weightMv(Distribution.uniform(0.2, 0.6)))
                .monitorSpikes("net")
                .build();
    }
}
