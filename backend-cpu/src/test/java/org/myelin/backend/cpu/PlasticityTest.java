package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.SynapseWeights;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.plasticity.PairStdp;
import org.myelin.core.plasticity.PlasticityRule;
import org.myelin.core.plasticity.StdpReference;
import org.myelin.core.plasticity.TripletStdp;

/** Plastic projections on the clock engine: deterministic, checkpointed, and equal to the reference. */
class PlasticityTest {
    private static final long STEPS = 20_000;

    private static final PairStdp PAIR = new PairStdp(20, 20, 0.05, 0.055, 0.0, 4.0,
            PairStdp.WeightDependence.ADDITIVE, PlasticityRule.Pairing.ALL_TO_ALL);
    private static final PairStdp MULT = PAIR.with(PairStdp.WeightDependence.MULTIPLICATIVE)
            .with(PlasticityRule.Pairing.NEAREST);
    private static final TripletStdp TRIPLET = new TripletStdp(16.8, 101, 33.7, 125, 0.02, 0.03, 0.03, 0.002, 0.0,
            20.0, PlasticityRule.Pairing.ALL_TO_ALL);

    /** Poisson input onto a, a onto b (both plastic), plus a fixed projection onto b. */
    static Network network(PlasticityRule inRule, PlasticityRule abRule) {
        CubaLifModel m = CubaLifModel.builder().tauSynExcMs(5).build();
        return Network.builder().dtMs(0.1).seed(11)
                .poisson("in", 40, 40)
                .population("a", 7, m)
                .population("b", 5, m)
                .projection(Projection.between("in", "a").weightMv(Distribution.uniform(1.0, 4.0)).plasticity(inRule))
                .projection(Projection.between("a", "b").connect(Connectivity.fixedProbability(0.8))
                        .weightMv(Distribution.uniform(10.0, 15.0)).plasticity(abRule))
                .projection(Projection.between("in", "b").named("fixed").connect(Connectivity.fixedProbability(0.5))
                        .weightMv(4.5))
                .monitorSpikes("in").monitorSpikes("a").monitorSpikes("b")
                .build();
    }

    private record Run(SynapseWeights in, SynapseWeights ab, SynapseWeights fixed, SpikeRecord a, SpikeRecord b) {
    }

    private static Run run(Network net, int threads) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(threads))) {
            c.run(STEPS / 3, rec);
            c.run(STEPS - STEPS / 3, rec);
            return new Run(c.weights("in->a"), c.weights("a->b"), c.weights("fixed"), rec.memory().spikes("a"),
                    rec.memory().spikes("b"));
        }
    }

    @Test
    void weightsAreIdenticalForOneTwoAndThreeThreads() {
        for (Network net : new Network[] {network(PAIR, TRIPLET), network(MULT, TRIPLET.with(
                PlasticityRule.Pairing.NEAREST))}) {
            Run one = run(net, 1);
            assertTrue(one.a().size() > 50 && one.b().size() > 50, "active: " + one.a().size() + ", "
                    + one.b().size());
            for (int threads : new int[] {2, 3}) {
                Run other = run(net, threads);
                assertArrayEquals(one.in().weightMv(), other.in().weightMv(), threads + " threads: in->a");
                assertArrayEquals(one.ab().weightMv(), other.ab().weightMv(), threads + " threads: a->b");
                assertEquals(one.a(), other.a(), threads + " threads: spikes of a");
                assertEquals(one.b(), other.b(), threads + " threads: spikes of b");
            }
        }
    }

    @Test
    void weightsContinueBitForBitAfterCheckpointRestore() {
        Network net = network(PAIR, TRIPLET);
        Run whole = run(net, 2);
        Checkpoint mid;
        try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(2))) {
            c.run(STEPS / 2, Recording.none());
            mid = c.snapshot();
        }
        for (int threads : new int[] {1, 3}) {
            try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(threads))) {
                c.restore(mid);
                c.run(STEPS - STEPS / 2, Recording.none());
                assertArrayEquals(whole.in().weightMv(), c.weights("in->a").weightMv(), threads + " threads: in->a");
                assertArrayEquals(whole.ab().weightMv(), c.weights("a->b").weightMv(), threads + " threads: a->b");
            }
        }
    }

    /** Every synapse's final weight against the event-driven reference fed with the recorded spikes. */
    @Test
    void weightsEqualTheReference() {
        for (PlasticityRule[] rules : new PlasticityRule[][] {{PAIR, TRIPLET}, {MULT, TRIPLET.with(
                PlasticityRule.Pairing.NEAREST)}}) {
            Network net = network(rules[0], rules[1]);
            Recording rec = Recording.inMemory();
            SynapseWeights in0;
            SynapseWeights ab0;
            SynapseWeights in1;
            SynapseWeights ab1;
            SynapseWeights fixed0;
            SynapseWeights fixed1;
            try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(2))) {
                in0 = c.weights("in->a");
                ab0 = c.weights("a->b");
                fixed0 = c.weights("fixed");
                c.run(STEPS, rec);
                in1 = c.weights("in->a");
                ab1 = c.weights("a->b");
                fixed1 = c.weights("fixed");
            }
            assertArrayEquals(fixed0.weightMv(), fixed1.weightMv(), "a fixed projection keeps its weights");
            // the engine has applied the spikes of steps up to STEPS - 2 (those of the last step wait for the next)
            long last = STEPS - 2;
            int changed = check(rules[0], in0, in1, rec.memory().spikes("in"), rec.memory().spikes("a"), last, 0.1);
            changed += check(rules[1], ab0, ab1, rec.memory().spikes("a"), rec.memory().spikes("b"), last, 0.1);
            assertTrue(changed > 50, "weights changed: " + changed);
        }
    }

    private static int check(PlasticityRule rule, SynapseWeights before, SynapseWeights after, SpikeRecord pre,
                             SpikeRecord post, long lastStep, double dtMs) {
        int changed = 0;
        for (int k = 0; k < before.source().length; k++) {
            double want = StdpReference.weight(rule, before.weightMv()[k],
                    times(pre, before.source()[k], lastStep, dtMs), times(post, before.target()[k], lastStep, dtMs));
            assertEquals(want, after.weightMv()[k], 2e-5 * (1 + Math.abs(want)), rule.label() + " synapse " + k);
            if (after.weightMv()[k] != before.weightMv()[k]) {
                changed++;
            }
        }
        return changed;
    }

    private static double[] times(SpikeRecord r, int neuron, long lastStep, double dtMs) {
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (r.neuron(i) == neuron && r.step(i) <= lastStep) {
                t.add(r.step(i) * dtMs);
            }
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void enginesWithoutPlasticityRefuseByName() {
        Network net = network(PAIR, TRIPLET);
        for (EngineMode mode : new EngineMode[] {EngineMode.EVENT_GRID, EngineMode.EVENT_PRECISE, EngineMode.AUTO}) {
            MyelinException e = assertThrows(MyelinException.class,
                    () -> Backends.find("cpu").compile(net, new SimulationConfig(1).withMode(mode)).close());
            assertTrue(e.getMessage().contains("projection 'in->a' is plastic (pair STDP)"), e.getMessage());
        }
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("cpu").compile(net,
                new SimulationConfig(1).withAccumulation(SimulationConfig.Accumulation.FIXED_POINT)).close());
        assertTrue(e.getMessage().contains("fixed-point"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> Backends.find("reference").compile(net,
                new SimulationConfig(1)).close());
        assertTrue(e.getMessage().startsWith("reference engine: projection 'in->a' is plastic"), e.getMessage());
        Network delayed = Network.builder().poisson("in", 3, 10).population("a", 2, CubaLifModel.builder().build())
                .projection(Projection.between("in", "a").delaySteps(3).plasticity(PAIR)).build();
        e = assertThrows(MyelinException.class, () -> Backends.find("cpu").compile(delayed,
                new SimulationConfig(1)).close());
        assertTrue(e.getMessage().contains("delay of 1 step only"), e.getMessage());
    }
}
