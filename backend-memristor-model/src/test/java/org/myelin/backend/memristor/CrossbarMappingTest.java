package org.myelin.backend.memristor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.backend.memristor.device.DeviceModel;
import org.myelin.core.backend.TestNetworks;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/** Mapping a network again (as a reservoir is, sample after sample) gives exactly the same device-perturbed weights. */
class CrossbarMappingTest {

    private static double[] weights(Network net) {
        List<Double> w = new ArrayList<>();
        for (Projection p : net.projections()) {
            SynapseExpansion.expand(net, p, true, (a, b, x, d) -> w.add(x));
        }
        return w.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void mappingAgainGivesTheSameWeightsAndAnotherSeedOthers() {
        Network net = TestNetworks.poissonDriven(5);
        double[] first = weights(CrossbarMapping.map(net, DeviceModel.pcmLike(), 3, 100));
        double[] again = weights(CrossbarMapping.map(net, DeviceModel.pcmLike(), 3, 100));
        assertArrayEquals(first, again, 0.0, "the second mapping (from the cache) equals the first");
        double[] otherSeed = weights(CrossbarMapping.map(net, DeviceModel.pcmLike(), 4, 100));
        double[] otherTime = weights(CrossbarMapping.map(net, DeviceModel.pcmLike(), 3, 1e6));
        double[] otherModel = weights(CrossbarMapping.map(net, DeviceModel.pcmLike().withLevels(8), 3, 100));
        assertFalse(java.util.Arrays.equals(first, otherSeed), "another seed programs other noise");
        assertFalse(java.util.Arrays.equals(first, otherTime), "another time drifts further");
        assertFalse(java.util.Arrays.equals(first, otherModel), "another model maps otherwise");
        assertArrayEquals(first, weights(CrossbarMapping.map(net, DeviceModel.pcmLike(), 3, 100)), 0.0);
    }
}
