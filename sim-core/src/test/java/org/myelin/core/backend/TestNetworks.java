package org.myelin.core.backend;

import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/** Networks shared by the cross-backend and thread-count tests of every backend module. */
public final class TestNetworks {
    private TestNetworks() {
    }

    /**
     * Poisson input (300 generators, 15 Hz) into 250 LIF neurons with delta synapses (fixed probability,
     * normal weights), then into 200 CuBa-LIF neurons (fixed in-degree, excitatory and inhibitory, heterogeneous
     * delays of 1..8 steps), plus a stepped current. 450 simulated neurons, purely feed-forward.
     */
    public static Network poissonDriven(long seed) {
        return poissonDriven(seed, new int[0]);
    }

    /** As {@link #poissonDriven(long)}, also sampling v of the given "out" neurons every step. */
    public static Network poissonDriven(long seed, int[] sampledOut) {
        LifModel lif = LifModel.builder().tauMembraneMs(15).restingMv(-65).thresholdMv(-52).resetMv(-65)
                .refractoryMs(2).build();
        CubaLifModel cuba = CubaLifModel.builder().tauMembraneMs(20).tauSynExcMs(5).tauSynInhMs(8)
                .restingMv(-60).thresholdMv(-50).resetMv(-60).refractoryMs(3)
                .resetMode(ResetMode.SUBTRACT).build();
        Network.Builder b = Network.builder().dtMs(0.1).seed(seed)
                .poisson("input", 300, 15.0)
                .population("hidden", 250, lif, Distribution.uniform(-65, -55))
                .population("out", 200, cuba, Distribution.uniform(-60, -52))
                .projection(Projection.between("input", "hidden")
                        .connect(Connectivity.fixedProbability(0.1))
                        .weightMv(Distribution.clippedNormal(1.3, 0.5, 0, 3)))
                .projection(Projection.between("hidden", "out").named("exc")
                        .connect(Connectivity.fixedInDegree(40))
                        .weightMv(Distribution.uniform(2, 6))
                        .delaySteps(Distribution.uniformInt(1, 8)))
                .projection(Projection.between("input", "out").named("inh")
                        .connect(Connectivity.fixedInDegree(20))
                        .weightMv(-0.8).receptor(Receptor.INHIBITORY)
                        .delaySteps(Distribution.uniformInt(2, 5)))
                .current(CurrentInput.stepped("drive", "out", new long[] {0, 3000, 6000}, new double[] {0.0, 0.06, 0.03}))
                .monitorSpikes("input").monitorSpikes("hidden").monitorSpikes("out");
        if (sampledOut.length > 0) {
            b.monitorState("out", "v", sampledOut);
        }
        return b.build();
    }

    /**
     * Poisson input (300 generators, 15 Hz) into two layers of LIF neurons with delta synapses (250 and 200),
     * with normal and uniform weights, an inhibitory projection and heterogeneous delays (1..8 steps). A
     * membrane crosses threshold only by a jump, so float32 and double agree spike for spike.
     */
    public static Network lifPoissonDriven(long seed) {
        LifModel lif = LifModel.builder().tauMembraneMs(15).restingMv(-65).thresholdMv(-52).resetMv(-65)
                .refractoryMs(2).build();
        LifModel lif2 = LifModel.builder().tauMembraneMs(10).restingMv(-60).thresholdMv(-50).resetMv(-62)
                .refractoryMs(1).resetMode(ResetMode.SUBTRACT).build();
        return Network.builder().dtMs(0.1).seed(seed)
                .poisson("input", 300, 15.0)
                .population("hidden", 250, lif, Distribution.uniform(-65, -55))
                .population("out", 200, lif2, Distribution.uniform(-60, -52))
                .projection(Projection.between("input", "hidden")
                        .connect(Connectivity.fixedProbability(0.1))
                        .weightMv(Distribution.clippedNormal(1.3, 0.5, 0, 3)))
                .projection(Projection.between("hidden", "out").named("exc")
                        .connect(Connectivity.fixedInDegree(40))
                        .weightMv(Distribution.uniform(1, 4))
                        .delaySteps(Distribution.uniformInt(1, 8)))
                .projection(Projection.between("input", "out").named("inh")
                        .connect(Connectivity.fixedInDegree(20))
                        .weightMv(-0.8).receptor(Receptor.INHIBITORY)
                        .delaySteps(Distribution.uniformInt(2, 5)))
                .monitorSpikes("input").monitorSpikes("hidden").monitorSpikes("out")
                .build();
    }
}
