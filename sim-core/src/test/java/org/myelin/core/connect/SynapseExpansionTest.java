package org.myelin.core.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

class SynapseExpansionTest {

    private static Network net(Connectivity rule, int n, long seed) {
        return Network.builder().seed(seed).population("a", n, LifModel.builder().build())
                .projection(Projection.between("a", "a").connect(rule)
                        .weightMv(Distribution.normal(1, 0.2)).delaySteps(Distribution.uniformInt(1, 4)))
                .build();
    }

    @Test
    void fixedProbabilityHasBinomialCountsAndUniformPairs() {
        int n = 2000;
        double p = 0.01;
        Network net = net(Connectivity.fixedProbability(p), n, 5);
        int[] perTarget = new int[n];
        int[] perSource = new int[n];
        long[] total = {0};
        SynapseExpansion.expand(net, net.projections().get(0), true, (a, b, w, d) -> {
            perSource[a]++;
            perTarget[b]++;
            total[0]++;
            assertTrue(d >= 1 && d <= 4);
        });
        double expected = (double) n * n * p;
        assertEquals(expected, total[0], 4 * Math.sqrt(expected * (1 - p)), "synapse count");
        double mean = total[0] / (double) n;
        double var = 0;
        for (int c : perTarget) {
            var += (c - mean) * (c - mean);
        }
        var /= n - 1;
        assertEquals(n * p * (1 - p), var, 0.15 * n * p, "in-degree variance is binomial");
    }

    @Test
    void fixedInDegreeGivesExactlyKDistinctSources() {
        Network net = net(new Connectivity.FixedInDegree(30, false, false), 100, 2);
        Set<Long> pairs = new HashSet<>();
        int[] perTarget = new int[100];
        SynapseExpansion.expand(net, net.projections().get(0), false, (a, b, w, d) -> {
            assertNotEquals(a, b, "no self-connections");
            assertTrue(pairs.add(((long) a << 32) | b), "no multapses");
            perTarget[b]++;
        });
        for (int c : perTarget) {
            assertEquals(30, c);
        }
    }

    @Test
    void expansionIsAPureFunctionOfSeedAndProjection() {
        Network a = net(Connectivity.fixedProbability(0.05), 300, 9);
        Network b = net(Connectivity.fixedProbability(0.05), 300, 9);
        Network c = net(Connectivity.fixedProbability(0.05), 300, 10);
        StringBuilder sa = new StringBuilder();
        StringBuilder sb = new StringBuilder();
        StringBuilder sc = new StringBuilder();
        SynapseExpansion.expand(a, a.projections().get(0), true, (x, y, w, d) -> sa.append(x).append(y).append(w).append(d));
        SynapseExpansion.expand(b, b.projections().get(0), true, (x, y, w, d) -> sb.append(x).append(y).append(w).append(d));
        SynapseExpansion.expand(c, c.projections().get(0), true, (x, y, w, d) -> sc.append(x).append(y).append(w).append(d));
        assertEquals(sa.toString(), sb.toString());
        assertNotEquals(sa.toString(), sc.toString());
    }

    @Test
    void allToAllWithoutSelfConnectionsSkipsTheDiagonal() {
        Network net = net(new Connectivity.AllToAll(false), 20, 1);
        assertEquals(20 * 19, SynapseExpansion.count(net, net.projections().get(0)));
    }

    @Test
    void clippedNormalStaysInItsBounds() {
        Distribution d = Distribution.clippedNormal(0, 5, -1, 1);
        for (int i = 0; i < 10_000; i++) {
            double x = d.sample(3, 4, i);
            assertTrue(x >= -1 && x <= 1);
        }
    }
}
