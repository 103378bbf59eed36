package org.myelin.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.connect.ParallelExpansion;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

class MicrocircuitNetworkTest {
    @Test
    void thePscOfAPspIsNestsAndTheWeightsAreInMyelinsUnits() {
        // NEST's example: a 0.15 mV PSP needs 87.81 pA with C_m 250 pF, tau_m 10 ms, tau_syn 0.5 ms
        assertEquals(87.81, 0.15 * MicrocircuitNetwork.pscOverPsp(), 0.01);
        assertEquals(40.0, MicrocircuitNetwork.R_MOHM, 1e-12);
        assertEquals(0.04 * 87.81, MicrocircuitNetwork.mv(87.81), 1e-9);
    }

    @Test
    void synapseCountsFollowNestsFormula() {
        // L23E -> L23E: ln(1 - 0.1009) / ln(1 - 1 / 20683^2) at full scale
        double prod = 20683.0 * 20683.0;
        long expected = Math.round(Math.log(1 - 0.1009) / Math.log((prod - 1) / prod));
        assertEquals(expected, MicrocircuitNetwork.synapses(0, 0, 1, 1));
        long total = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                total += MicrocircuitNetwork.synapses(i, j, 1, 1);
            }
        }
        assertTrue(total > 2.9e8 && total < 3.0e8, "about 0.3 billion synapses at full scale: " + total);
        assertEquals(0, MicrocircuitNetwork.synapses(0, 5, 1, 1), "L5I does not project to L23E");
    }

    @Test
    void theScaledNetworkHasThePopulationsSynapsesAndSigns() {
        double scale = 0.02;
        Network net = MicrocircuitNetwork.build(scale, 1, MicrocircuitNetwork.Input.POISSON, 1);
        for (int i = 0; i < 8; i++) {
            assertEquals(Math.round(MicrocircuitNetwork.FULL_SIZE[i] * scale),
                    net.node(MicrocircuitNetwork.POPULATIONS[i]).size());
        }
        Map<String, Projection> byName = new HashMap<>();
        net.projections().forEach(p -> byName.put(p.name(), p));
        Projection p = byName.get("L4E->L23E");
        long n = MicrocircuitNetwork.synapses(0, 2, scale, 1);
        long[] count = {0};
        double[] sum = {0};
        boolean[] onGrid = {true};
        SynapseExpansion.expand(net, p, true, (a, b, w, d) -> {
            count[0]++;
            sum[0] += w;
            onGrid[0] &= d >= 1;
        });
        assertEquals(n, count[0], "fixed total number");
        double mean = MicrocircuitNetwork.mv(2 * 0.15 * MicrocircuitNetwork.pscOverPsp());
        assertEquals(mean, sum[0] / count[0], 0.01 * mean, "L4E -> L23E doubled");
        assertTrue(onGrid[0]);
        SynapseExpansion.expand(net, byName.get("L23I->L23E"), true, (a, b, w, d) ->
                assertTrue(w <= 0, "inhibitory weights stay negative: " + w));
        assertEquals(16, net.sources().size() + 8, "a Poisson source per population");
    }

    @Test
    void fixedTotalNumberMakesExactlyNSynapsesWithoutAutapsesTheSameInParallel() {
        LifModel m = LifModel.builder().build();
        Network net = Network.builder().seed(5).population("a", 3000, m).population("b", 700, m)
                .projection(Projection.between("a", "a").named("aa").connect(Connectivity.fixedTotalNumber(200_000))
                        .weightMv(Distribution.normal(1, 0.1)))
                .projection(Projection.between("a", "b").named("ab").connect(Connectivity.fixedTotalNumber(5_000)))
                .build();
        for (Projection p : net.projections()) {
            long n = ((Connectivity.FixedTotalNumber) p.rule()).n();
            StringBuilder seq = new StringBuilder();
            long[] c = {0};
            long[] self = {0};
            int[] perSource = new int[3000];
            SynapseExpansion.expand(net, p, true, (a, b, w, d) -> {
                c[0]++;
                perSource[a]++;
                if (p.name().equals("aa") && a == b) {
                    self[0]++;
                }
                if (c[0] < 2000) {
                    seq.append(a).append(',').append(b).append(',').append(w).append(';');
                }
            });
            assertEquals(n, c[0]);
            assertEquals(0, self[0], "no autapses");
            // the parallel expansion writes the same synapses in the same order
            ParallelExpansion e = new ParallelExpansion(net, p);
            long total = 0;
            for (int r = 0; r < e.rows(); r++) {
                total += e.count(r);
                assertEquals(perSource[r], e.count(r));
            }
            assertEquals(n, total);
        }
        // the source counts are multinomial: mean n / rows, variance close to it
        Projection aa = net.projections().get(0);
        int[] per = new int[3000];
        SynapseExpansion.expand(net, aa, false, (a, b, w, d) -> per[a]++);
        double mean = 200_000 / 3000.0;
        double var = 0;
        for (int x : per) {
            var += (x - mean) * (x - mean);
        }
        var /= per.length;
        assertEquals(mean * (1 - 1 / 3000.0), var, 0.15 * mean, "multinomial variance");
    }

    @Test
    void aTruncatedNormalRedrawsInsteadOfClipping() {
        Distribution d = Distribution.truncatedNormal(1.5, 0.75, 1, 10);
        int atBound = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 100_000; i++) {
            double x = d.sample(3, 7, i);
            assertTrue(x >= 1 && x <= 10, "in range: " + x);
            atBound += x == 1 ? 1 : 0;
            min = Math.min(min, x);
        }
        assertEquals(0, atBound, "no mass piled up at the bound (clipping would put 25 % there)");
        assertTrue(min < 1.001, "the range is reached: " + min);
    }

    @Test
    void poissonEventsWithMultiplicityHaveThePoissonMeanAndVariance() {
        double lambda = 1.7;
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        org.myelin.core.network.PoissonSource src = new org.myelin.core.network.PoissonSource("bg", n, 17_000, true);
        for (int i = 0; i < n; i++) {
            int k = src.eventsAt(9, 3, i, 5, 0.1);
            sum += k;
            sq += (double) k * k;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertEquals(lambda, mean, 0.02);
        assertEquals(lambda, var, 0.05, "Poisson: variance equals the mean (a Bernoulli draw would give "
                + lambda * (1 - lambda) + ")");
        assertEquals(0, org.myelin.core.network.PoissonSource.events(0.0, lambda));
    }
}
