package org.myelin.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.TestNetworks;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/** OpenCL and the CPU backend, both in fixed-point mode, spike for spike. */
class OpenClMatchesCpuTest {
    private static final SimulationConfig FIXED =
            new SimulationConfig(2).withAccumulation(SimulationConfig.Accumulation.FIXED_POINT);

    @BeforeAll
    static void platform() {
        OpenClAvailable.require();
    }

    private static Recording run(String backend, Network net, long steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, FIXED)) {
            c.run(steps / 4, rec);
            c.run(steps - steps / 4, rec);
        }
        return rec;
    }

    private static void assertSameSpikes(Network net, Recording a, Recording b) {
        SpikeRecord x = SpikeStatistics.merged(net, a.memory());
        SpikeRecord y = SpikeStatistics.merged(net, b.memory());
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            if (x.step(i) != y.step(i) || x.neuron(i) != y.neuron(i)) {
                throw new AssertionError("spike " + i + " differs: cpu (step " + x.step(i) + ", neuron " + x.neuron(i)
                        + "), opencl (step " + y.step(i) + ", neuron " + y.neuron(i) + ")");
            }
        }
        assertEquals(x.size(), y.size(), "spike count");
        assertEquals(SpikeStatistics.checksum(x), SpikeStatistics.checksum(y));
    }

    @Test
    void feedForwardPoissonNetworkGivesIdenticalSpikes() {
        Network net = TestNetworks.poissonDriven(2024);
        Recording cpu = run("cpu", net, 10_000);
        Recording ocl = run("opencl", net, 10_000);
        assertTrue(cpu.memory().spikes("out").size() > 1000, "out layer active");
        assertSameSpikes(net, cpu, ocl);
    }

    /** snnTorch's delayed reset (the threshold comes off at the next step), discrete-time neurons, as exported MLPs. */
    @Test
    void delayedResetDiscreteNeuronsGiveIdenticalSpikes() {
        org.myelin.core.model.DiscreteLifModel m = new org.myelin.core.model.DiscreteLifModel(0.875, Double.NaN, 1.0,
                org.myelin.core.model.ResetMode.SUBTRACT).withDelayedReset();
        Network net = Network.builder().dtMs(1).seed(31)
                .poisson("in", 200, 40)
                .population("a", 300, m)
                .population("b", 100, m)
                .projection(org.myelin.core.network.Projection.between("in", "a")
                        .connect(org.myelin.core.connect.Connectivity.fixedProbability(0.1))
                        .weightMv(org.myelin.core.connect.Distribution.normal(0.3, 0.3)).delaySteps(1))
                .projection(org.myelin.core.network.Projection.between("a", "b")
                        .connect(org.myelin.core.connect.Connectivity.fixedProbability(0.2))
                        .weightMv(org.myelin.core.connect.Distribution.normal(0.15, 0.3)).delaySteps(1))
                .monitorSpikes("a").monitorSpikes("b")
                .build();
        Recording cpu = run("cpu", net, 2_000);
        assertTrue(cpu.memory().spikes("a").size() > 2000 && cpu.memory().spikes("b").size() > 500,
                "both layers active: " + cpu.memory().spikes("a").size() + ", " + cpu.memory().spikes("b").size());
        assertSameSpikes(net, cpu, run("opencl", net, 2_000));
    }

    @Test
    void lifNetworkWithHeterogeneousDelaysGivesIdenticalSpikes() {
        Network net = TestNetworks.lifPoissonDriven(6);
        assertSameSpikes(net, run("cpu", net, 10_000), run("opencl", net, 10_000));
    }

    @Test
    void aSourceFreeNetworkWithHeterogeneousDelaysGivesIdenticalSpikes() {
        // no spike source: bias-driven, delays of 1 to 12 steps
        Network net = Network.builder().seed(9)
                .population("drive", 300, org.myelin.core.model.LifModel.builder().biasCurrentNa(0.25)
                        .refractoryMs(1).build(), org.myelin.core.connect.Distribution.uniform(-70, -50))
                .population("cuba", 700, org.myelin.core.model.CubaLifModel.builder().build())
                .projection(org.myelin.core.network.Projection.between("drive", "cuba")
                        .connect(org.myelin.core.connect.Connectivity.fixedProbability(0.05))
                        .weightMv(org.myelin.core.connect.Distribution.uniform(20, 40))
                        .delaySteps(org.myelin.core.connect.Distribution.uniformInt(1, 12)))
                .projection(org.myelin.core.network.Projection.between("cuba", "cuba")
                        .connect(org.myelin.core.connect.Connectivity.fixedProbability(0.02))
                        .weightMv(-3).delaySteps(org.myelin.core.connect.Distribution.uniformInt(1, 12))
                        .receptor(org.myelin.core.model.Receptor.INHIBITORY))
                .monitorSpikes("drive").monitorSpikes("cuba").build();
        Recording cpu = run("cpu", net, 5_000);
        assertTrue(cpu.memory().spikes("cuba").size() > 500, "target population active");
        assertSameSpikes(net, cpu, run("opencl", net, 5_000));
    }

    @Test
    void spikesBeyondThePackedBatchBufferAreReadStepByStep() {
        Network net = CubaNetwork.classic(4);
        System.setProperty("myelin.opencl.stagingInts", "300");
        Recording ocl;
        try {
            ocl = run("opencl", net, 3_000);
        } finally {
            System.clearProperty("myelin.opencl.stagingInts");
        }
        assertSameSpikes(net, run("cpu", net, 3_000), ocl);
    }

    @Test
    void cubaGivesIdenticalSpikesForOneSecond() {
        Network net = CubaNetwork.classic(12345);
        Recording cpu = run("cpu", net, 10_000);
        Recording ocl = run("opencl", net, 10_000);
        assertTrue(SpikeStatistics.merged(net, cpu.memory()).size() > 15_000, "CUBA active");
        assertSameSpikes(net, cpu, ocl);
    }

    @Test
    void aSourceFeedingProjectionsOfDifferentConstantWeightsGivesIdenticalSpikes() {
        org.myelin.core.model.LifModel lif = org.myelin.core.model.LifModel.builder().tauMembraneMs(10).restingMv(-65)
                .thresholdMv(-55).resetMv(-65).refractoryMs(2).build();
        Network net = Network.builder().seed(3)
                .poisson("in", 100, 30)
                .population("a", 200, lif).population("b", 100, lif)
                .projection(org.myelin.core.network.Projection.between("in", "a")
                        .connect(org.myelin.core.connect.Connectivity.fixedInDegree(20)).weightMv(1.5))
                .projection(org.myelin.core.network.Projection.between("in", "b")
                        .connect(org.myelin.core.connect.Connectivity.fixedInDegree(20)).weightMv(2.5).delaySteps(3))
                .monitorSpikes("a").monitorSpikes("b").build();
        Recording cpu = run("cpu", net, 5_000);
        assertTrue(cpu.memory().spikes("a").size() > 100 && cpu.memory().spikes("b").size() > 100, "both active");
        assertSameSpikes(net, cpu, run("opencl", net, 5_000));
    }

    @Test
    void floatAccumulationIsRefusedWithTheReason() {
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("opencl")
                .compile(CubaNetwork.classic(1), FIXED.withAccumulation(SimulationConfig.Accumulation.FLOAT)));
        assertTrue(e.getMessage().contains("accumulation FLOAT is not supported"), e.getMessage());
    }

    @Test
    void anUnknownDeviceIsRefusedWithTheList() {
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("opencl")
                .compile(CubaNetwork.classic(1), FIXED.withDevice("no-such-accelerator")));
        assertTrue(e.getMessage().contains("no OpenCL device matches 'no-such-accelerator'; found:"), e.getMessage());
    }
}
