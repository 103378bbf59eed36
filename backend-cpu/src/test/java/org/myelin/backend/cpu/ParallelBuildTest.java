package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/** The parallel build makes exactly the synapses of the sequential expansion, row by row, in the same order. */
class ParallelBuildTest {
    @Test
    void everyRuleBuildsTheSequentialSynapses() {
        Network net = Network.builder().seed(11)
                .population("a", 20_000, LifModel.builder().build())
                .population("b", 9_000, LifModel.builder().build())
                .projection(Projection.between("a", "b").named("prob").connect(Connectivity.fixedProbability(0.002))
                        .weightMv(Distribution.normal(1, 0.3)).delaySteps(Distribution.uniformInt(1, 9)))
                .projection(Projection.between("b", "a").named("indeg").connect(Connectivity.fixedInDegree(7))
                        .weightMv(Distribution.uniform(0, 2)))
                .projection(Projection.between("b", "b").named("one").connect(Connectivity.oneToOne()).weightMv(3))
                .build();
        int[] threadStart = {0, 14_500, 29_000};
        for (Projection p : net.projections()) {
            ProjectionSynapses built = new ProjectionSynapses(net, p, threadStart, false);
            int rows = net.node(p.source()).size();
            List<List<double[]>> expected = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                expected.add(new ArrayList<>());
            }
            int tgtOff = net.offset(p.target());
            SynapseExpansion.expand(net, p, true, (a, b, w, d) -> expected.get(a).add(new double[] {tgtOff + b, w, d}));
            long total = 0;
            for (int r = 0; r < rows; r++) {
                List<double[]> row = expected.get(r);
                row.sort((x, y) -> Double.compare(x[0], y[0]));
                assertEquals(row.size(), built.rowStart[r + 1] - built.rowStart[r], p.name() + " row " + r);
                for (int k = 0; k < row.size(); k++) {
                    int at = built.rowStart[r] + k;
                    assertEquals((int) row.get(k)[0], built.target[at], p.name() + " row " + r);
                    float w = built.weight == null ? built.weightMv : built.weight[at];
                    assertEquals((float) row.get(k)[1], w, 0f, p.name() + " weight, row " + r);
                    int d = built.delaySteps > 0 ? built.delaySteps
                            : built.delayByte != null ? built.delayByte[at] : built.delayShort[at];
                    assertEquals((int) row.get(k)[2], d, p.name() + " delay, row " + r);
                }
                total += row.size();
            }
            assertEquals(total, built.synapses());
            assertTrue(total > 1000, p.name() + " has synapses");
        }
        assertArrayEquals(new int[] {0, 14_500, 29_000}, threadStart);
    }
}
