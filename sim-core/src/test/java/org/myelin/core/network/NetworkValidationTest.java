package org.myelin.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.Receptor;

/** Every check names the object, the parameter, the bad value and what is allowed. */
class NetworkValidationTest {

    private static String message(Supplier<?> build) {
        return assertThrows(MyelinException.class, build::get).getMessage();
    }

    private static Network.Builder base() {
        return Network.builder().population("exc", 10, LifModel.builder().build()).poisson("in", 5, 10);
    }

    @Test
    void modelParametersAreCheckedWithUnits() {
        assertEquals("population 'exc': tauMembraneMs must be > 0 ms and finite, was -5.0 ms",
                message(() -> Network.builder().population("exc", 3, new LifModel(
                        new org.myelin.core.model.MembraneParameters(-5, -70, -50, -70, 2, 100, 0,
                                org.myelin.core.model.ResetMode.TO_VALUE))).build()));
        assertEquals("CuBa-LIF model: tauSynExcMs must be > 0 ms and finite, was 0.0 ms",
                message(() -> CubaLifModel.builder().tauSynExcMs(0).build()));
        assertEquals("LIF model: refractoryMs must be >= 0 ms and finite, was -1.0 ms",
                message(() -> LifModel.builder().refractoryMs(-1).build()));
        assertEquals("LIF model: resetMv must be < thresholdMv (-50.0 mV) for reset by subtraction, was -40.0 mV",
                message(() -> LifModel.builder().resetMv(-40).resetMode(org.myelin.core.model.ResetMode.SUBTRACT).build()));
    }

    @Test
    void sizesNamesAndReferencesAreChecked() {
        assertEquals("population 'p': size must be >= 1, was 0",
                message(() -> Network.builder().population("p", 0, LifModel.builder().build()).build()));
        assertEquals("spike source 'exc': name 'exc' is already used",
                message(() -> base().poisson("exc", 3, 1).build()));
        assertEquals("projection 'in->nowhere': target must be a population, 'nowhere' is unknown; populations: [exc]",
                message(() -> base().projection(Projection.between("in", "nowhere")).build()));
        assertEquals("projection 'exc->in': target must be a population, 'in' is a spike source; populations: [exc]",
                message(() -> base().projection(Projection.between("exc", "in")).build()));
        assertEquals("network: dtMs must be > 0 ms and finite, was 0.0 ms", message(() -> base().dtMs(0).build()));
    }

    @Test
    void connectivityWeightsAndDelaysAreChecked() {
        assertEquals("projection 'in->exc': connection probability must be in [0, 1], was 1.5",
                message(() -> base().projection(Projection.between("in", "exc")
                        .connect(Connectivity.fixedProbability(1.5))).build()));
        assertEquals("projection 'in->exc': in-degree must be <= 5 (distinct sources available), was 6",
                message(() -> base().projection(Projection.between("in", "exc")
                        .connect(Connectivity.fixedInDegree(6))).build()));
        assertEquals("projection 'in->exc': one-to-one needs equal sizes, source has 5 neurons and target 10",
                message(() -> base().projection(Projection.between("in", "exc")
                        .connect(Connectivity.oneToOne())).build()));
        assertEquals("projection 'in->exc': delaySteps must lie in [1, 32767] steps, the distribution spans [0.0, 0.0]",
                message(() -> base().projection(Projection.between("in", "exc").delaySteps(0)).build()));
        assertEquals("projection 'in->exc': weightMv uniform(low, high) needs finite low < high, was (2.0, 1.0) mV",
                message(() -> base().projection(Projection.between("in", "exc")
                        .weightMv(Distribution.uniform(2, 1))).build()));
        assertEquals("projection 'in->exc': synapse 1: target index must be in [0, 9], was 10",
                message(() -> base().projection(Projection.between("in", "exc").connect(
                        Connectivity.explicit(new int[] {0, 1}, new int[] {0, 10}, null, null))).build()));
    }

    @Test
    void inputsAndMonitorsAreChecked() {
        assertEquals("spike source 'fast': rateHz must be in [0, 10000.0] Hz (at most one spike per step), was 20000.0 Hz",
                message(() -> base().poisson("fast", 1, 20000).build()));
        assertEquals("spike source 'st': neuron 1 spikes twice in step 4",
                message(() -> base().spikeTrain("st", 2, new int[] {1, 1}, new long[] {4, 4}).build()));
        assertEquals("current input 'c': change steps must be >= 0 and strictly increasing, step 1 was 5",
                message(() -> base().current(CurrentInput.stepped("c", "exc", new long[] {5, 5}, new double[] {1, 2}))
                        .build()));
        assertEquals("state monitor 'exc.ge': variable must be one of [v] for a lif population, was 'ge'",
                message(() -> base().monitorState("exc", "ge", 0).build()));
        assertEquals("state monitor 'exc.v': neuron index must be in [0, 9], was 10",
                message(() -> base().monitorState("exc", "v", 10).build()));
        assertEquals("rate monitor 'exc.rate': binSteps must be >= 1, was 0",
                message(() -> base().monitorRate("exc", 0).build()));
    }

    @Test
    void globalIndicesPutPopulationsFirst() {
        Network n = Network.builder().poisson("in", 5, 1).population("a", 3, LifModel.builder().build())
                .population("b", 4, CubaLifModel.builder().build())
                .projection(Projection.between("a", "b").receptor(Receptor.INHIBITORY)).build();
        assertEquals(0, n.offset("a"));
        assertEquals(3, n.offset("b"));
        assertEquals(7, n.offset("in"));
        assertEquals(7, n.neuronCount());
        assertEquals(5, n.sourceCount());
        assertEquals(1, n.nodeOf(3));
        assertEquals(2, n.nodeOf(11));
    }
}
