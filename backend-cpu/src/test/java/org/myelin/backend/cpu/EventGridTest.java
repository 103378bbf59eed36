package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.TestNetworks;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The event-driven grid mode against the clock mode and the double-precision reference: exactly the same spikes in
 * hand-built cases, and on Poisson-driven networks the same spikes except where rounding decides, each such case
 * traced to a membrane within 1e-4 mV of threshold.
 */
class EventGridTest {
    private static final double TRACE_MV = 1e-4;

    static TreeSet<Long> spikes(Network net, String backend, EngineMode mode, long steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, new SimulationConfig(1).withMode(mode))) {
            c.run(steps, rec);
        }
        SpikeRecord s = SpikeStatistics.merged(net, rec.memory());
        TreeSet<Long> out = new TreeSet<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(key(s.step(i), s.neuron(i)));
        }
        return out;
    }

    private static long key(long step, int neuron) {
        return step << 24 | neuron;
    }

    private static List<Long> minus(TreeSet<Long> a, TreeSet<Long> b) {
        List<Long> l = new ArrayList<>();
        for (long k : a) {
            if (!b.contains(k)) {
                l.add(k);
            }
        }
        return l;
    }

    /** Steps of the spikes of global neuron {@code neuron}. */
    private static List<Long> stepsOf(TreeSet<Long> s, int neuron) {
        List<Long> l = new ArrayList<>();
        for (long k : s) {
            if ((k & 0xFFFFFF) == neuron) {
                l.add(k >>> 24);
            }
        }
        return l;
    }

    private static CubaLifModel cuba() {
        return CubaLifModel.builder().tauMembraneMs(20).tauSynExcMs(5).tauSynInhMs(10).restingMv(-65)
                .thresholdMv(-50).resetMv(-65).refractoryMs(2).build();
    }

    /** One population "n" fed by a spike train "in" (one-to-one), the same in every mode. */
    private static Network driven(org.myelin.core.model.NeuronModel model, int size, int[] who, long[] when,
                                  double weightMv, CurrentInput current) {
        Network.Builder b = Network.builder().dtMs(0.1).seed(5)
                .population("n", size, model)
                .spikeTrain("in", size, who, when)
                .projection(Projection.between("in", "n").connect(Connectivity.oneToOne()).weightMv(weightMv))
                .monitorSpikes("n");
        if (current != null) {
            b.current(current);
        }
        return b.build();
    }

    private static void sameEverywhere(Network net, long steps, TreeSet<Long> expectedOrNull) {
        TreeSet<Long> clock = spikes(net, "cpu", EngineMode.CLOCK, steps);
        TreeSet<Long> event = spikes(net, "cpu", EngineMode.EVENT_GRID, steps);
        TreeSet<Long> ref = spikes(net, "reference", EngineMode.CLOCK, steps);
        assertEquals(clock, event, "clock and event-driven grid modes");
        assertEquals(ref, event, "reference and event-driven grid mode");
        if (expectedOrNull != null) {
            assertEquals(expectedOrNull, event);
        }
    }

    @Test
    void aDeltaSynapseLifNeuronCrossesOnlyAtAnInput() {
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-65).build();
        // 4 mV jumps: 4, then 4 * 0.98 + 4 = 7.92, then 7.92 * 0.98 + 4 = 11.76 > 10 at the third input
        Network net = driven(lif, 2, new int[] {0, 0, 0, 1}, new long[] {10, 12, 14, 30}, 4.0, null);
        TreeSet<Long> expected = new TreeSet<>(List.of(key(15, 0)));
        sameEverywhere(net, 200, expected);
    }

    @Test
    void aCubaNeuronCrossesThresholdStepsAfterItsLastInput() {
        // one input at step 20; the synaptic current keeps charging the membrane, which crosses later
        Network net = driven(cuba(), 3, new int[] {0, 1, 2}, new long[] {20, 20, 20}, 0, null);
        // 400 mV: the current outlasts the refractory period and fires the neuron again, twice
        for (double w : new double[] {100, 160, 400}) {
            Network n = driven(cuba(), 1, new int[] {0}, new long[] {20}, w, null);
            TreeSet<Long> event = spikes(n, "cpu", EngineMode.EVENT_GRID, 2000);
            assertEquals(w < 300 ? 1 : 3, event.size(), "weight " + w + ": spikes");
            long at = event.first() >>> 24;
            assertTrue(at >= 21 + 3, "weight " + w + ": the spike (step " + at + ") comes steps after the input"
                    + " arrives (step 21)");
            sameEverywhere(n, 2000, null);
        }
        assertEquals(0, spikes(net, "cpu", EngineMode.EVENT_GRID, 2000).size(), "a zero weight never fires");
    }

    @Test
    void aBiasCurrentFiresWithoutAnyInputAtThePredictedSteps() {
        // regular firing driven by a constant current alone: every spike is a predicted crossing
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-65)
                .refractoryMs(2).resistanceMOhm(100).build();
        Network.Builder b = Network.builder().dtMs(0.1).seed(1).population("n", 4, lif).monitorSpikes("n");
        b.current(new CurrentInput("drive", "n", null, new long[] {0}, new double[] {0.11}));
        b.current(new CurrentInput("extra", "n", new int[] {1, 3}, new long[] {0, 4000}, new double[] {0.05, 0.2}));
        Network net = b.build();
        TreeSet<Long> event = spikes(net, "cpu", EngineMode.EVENT_GRID, 10_000);
        assertTrue(stepsOf(event, 0).size() > 20 && stepsOf(event, 3).size() > stepsOf(event, 0).size(),
                "regular firing, faster with more current: " + stepsOf(event, 0).size() + ", " + stepsOf(event, 3).size());
        sameEverywhere(net, 10_000, null);
    }

    @Test
    void refractoryPeriodsResetBySubtractionAndInhibitionAgree() {
        CubaLifModel m = CubaLifModel.builder().tauMembraneMs(15).tauSynExcMs(3).tauSynInhMs(6).restingMv(-60)
                .thresholdMv(-50).resetMv(-58).refractoryMs(1.5).resetMode(ResetMode.SUBTRACT).build();
        int[] who = new int[400];
        long[] when = new long[400];
        for (int k = 0; k < who.length; k++) {
            who[k] = k % 4;
            when[k] = 5 + 7L * k / 4 + (k % 4);
        }
        Network net = Network.builder().dtMs(0.1).seed(2)
                .population("n", 4, m)
                .spikeTrain("in", 4, who, when)
                .projection(Projection.between("in", "n").named("e").connect(Connectivity.oneToOne()).weightMv(20))
                .projection(Projection.between("in", "n").named("i").connect(Connectivity.allToAll())
                        .weightMv(-1).receptor(Receptor.INHIBITORY).delaySteps(3))
                .monitorSpikes("n").build();
        TreeSet<Long> event = spikes(net, "cpu", EngineMode.EVENT_GRID, 1200);
        assertTrue(event.size() > 40, "active: " + event.size());
        sameEverywhere(net, 1200, null);
    }

    /**
     * Poisson input into 2000 CuBa-LIF neurons (excitatory and inhibitory generators, delays of 1 to 4 steps),
     * feed-forward, so that a spike decided by rounding does not spread.
     */
    static Network feedForward(long seed, int... sampled) {
        Network.Builder b = Network.builder().dtMs(0.1).seed(seed)
                .poisson("exc", 800, 30.0).poisson("inh", 200, 20.0)
                .population("out", 2000, cuba(), Distribution.uniform(-65, -52))
                .projection(Projection.between("exc", "out").named("e").connect(Connectivity.fixedInDegree(120))
                        .weightMv(Distribution.uniform(1, 3.5)).delaySteps(Distribution.uniformInt(1, 4)))
                .projection(Projection.between("inh", "out").named("i").connect(Connectivity.fixedInDegree(20))
                        .weightMv(Distribution.uniform(-4, -1)).receptor(Receptor.INHIBITORY).delaySteps(2))
                .monitorSpikes("out");
        if (sampled.length > 0) {
            b.monitorState("out", "v", sampled);
        }
        return b.build();
    }

    /**
     * Input-driven: 20,000 CuBa-LIF neurons, each with its own Poisson generator (5.5 Hz, one input fires it) and
     * 50 weak inputs from a shared pool of 2,000 generators (delays 1 to 3 steps), feed-forward. Crossings follow
     * inputs steeply, the regime of sparse event-driven workloads.
     */
    static Network inputDriven(long seed, int... sampled) {
        Network.Builder b = Network.builder().dtMs(0.1).seed(seed)
                .poisson("aer", 20_000, 5.5).poisson("pool", 2_000, 10.0)
                .population("out", 20_000, cuba(), Distribution.uniform(-65, -60))
                .projection(Projection.between("aer", "out").named("a").connect(Connectivity.oneToOne()).weightMv(120))
                .projection(Projection.between("pool", "out").named("p").connect(Connectivity.fixedInDegree(50))
                        .weightMv(Distribution.uniform(0.2, 0.6)).delaySteps(Distribution.uniformInt(1, 3)))
                .monitorSpikes("out");
        if (sampled.length > 0) {
            b.monitorState("out", "v", sampled);
        }
        return b.build();
    }

    /**
     * Compares clock and event-driven grid modes. A neuron's first spike that one mode has and the other has not is
     * traced: the mode without it sampled v at that step, which must lie within {@link #TRACE_MV} below threshold.
     * Its later spikes may then be shifted too (a regularly firing neuron keeps the phase it was given).
     *
     * @return {mismatched spikes (spikes of one mode that the other lacks, the larger direction: a spike one step
     *         later counts once), neurons whose spikes differ (each traced)}
     */
    private static int[] compareAndTrace(IntFunction<Network> withSample, String population, long steps, double vt) {
        Network net = withSample.apply(-1);
        TreeSet<Long> clock = spikes(net, "cpu", EngineMode.CLOCK, steps);
        TreeSet<Long> event = spikes(net, "cpu", EngineMode.EVENT_GRID, steps);
        List<Long> onlyClock = minus(clock, event);
        List<Long> onlyEvent = minus(event, clock);
        int offset = net.offset(population);
        // a neuron's first mismatch is decided by rounding; its later spikes follow from that one
        TreeSet<Integer> traced = new TreeSet<>();
        List<long[]> firsts = new ArrayList<>();
        for (List<Long> l : List.of(onlyClock, onlyEvent)) {
            for (long k : l) {
                firsts.add(new long[] {k >>> 24, k & 0xFFFFFF, l == onlyClock ? 1 : 0});
            }
        }
        firsts.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] f : firsts) {
            int neuron = (int) f[1];
            if (!traced.add(neuron)) {
                continue;
            }
            EngineMode without = f[2] == 1 ? EngineMode.EVENT_GRID : EngineMode.CLOCK;
            Network sampled = withSample.apply(neuron - offset);
            Recording rec = Recording.inMemory();
            try (CompiledNetwork c = Backends.find("cpu").compile(sampled, new SimulationConfig(1).withMode(without))) {
                c.run(f[0] + 1, rec);
            }
            StateTrace t = rec.memory().state(sampled.stateMonitors().get(0).name());
            double v = t.value(t.samples() - 1, 0);
            assertTrue(v <= vt && vt - v < TRACE_MV, "neuron " + neuron + " step " + f[0] + ": spikes in "
                    + (f[2] == 1 ? "clock" : "event") + " mode only; the other mode's v " + v + " is not within "
                    + TRACE_MV + " mV of threshold " + vt);
        }
        return new int[] {Math.max(onlyClock.size(), onlyEvent.size()), traced.size()};
    }

    @Test
    void anInputDrivenFeedForwardCubaNetworkHasTheSameSpikesBarOneIn100000() {
        Network net = inputDriven(11);
        TreeSet<Long> clock = spikes(net, "cpu", EngineMode.CLOCK, 10_000);
        assertTrue(clock.size() >= 100_000, "at least 100,000 spikes in 1 s: " + clock.size());
        int[] m = compareAndTrace(i -> i < 0 ? inputDriven(11) : inputDriven(11, i), "out", 10_000, -50);
        assertTrue(m[0] <= clock.size() / 100_000, m[0] + " mismatched spikes of " + clock.size());
    }

    @Test
    void aMeanDrivenFeedForwardCubaNetworkDiffersOnlyWhereRoundingDecides() {
        // membranes that approach threshold slowly: float32 rounding (1e-6 mV a step) decides a few crossings
        Network net = feedForward(11);
        TreeSet<Long> clock = spikes(net, "cpu", EngineMode.CLOCK, 10_000);
        assertTrue(clock.size() >= 100_000, "at least 100,000 spikes in 1 s: " + clock.size());
        int[] m = compareAndTrace(i -> i < 0 ? feedForward(11) : feedForward(11, i), "out", 10_000, -50);
        assertTrue(m[1] <= clock.size() / 10_000, m[1] + " neurons with a spike decided by rounding, of "
                + clock.size() + " spikes");
    }

    @Test
    void mismatchesOnTheMixedTestNetworkAreAllDecidedByRounding() {
        // LIF and CuBa layers, stepped current, subtractive reset: here rounding decides one spike (seed 3)
        int[] m = compareAndTrace(i -> i < 0 ? TestNetworks.poissonDriven(3)
                : TestNetworks.poissonDriven(3, new int[] {i}), "out", 10_000, -50);
        assertTrue(m[1] >= 1 && m[1] <= 2, m[1] + " neurons traced");
        TreeSet<Long> ref = spikes(TestNetworks.poissonDriven(3), "reference", EngineMode.CLOCK, 10_000);
        TreeSet<Long> event = spikes(TestNetworks.poissonDriven(3), "cpu", EngineMode.EVENT_GRID, 10_000);
        assertEquals(ref, event, "the event-driven grid mode has the double-precision reference's spikes");
    }

    @Test
    void stateMonitorsSeeTheMembraneBetweenVisitsWithoutChangingTheSpikes() {
        int[] sampled = {0, 7, 100};
        Network plain = TestNetworks.poissonDriven(5);
        Network monitored = TestNetworks.poissonDriven(5, sampled);
        assertEquals(spikes(plain, "cpu", EngineMode.EVENT_GRID, 3000), spikes(monitored, "cpu", EngineMode.EVENT_GRID, 3000));
        StateTrace[] traces = new StateTrace[2];
        EngineMode[] modes = {EngineMode.CLOCK, EngineMode.EVENT_GRID};
        for (int m = 0; m < 2; m++) {
            Recording rec = Recording.inMemory();
            try (CompiledNetwork c = Backends.find("cpu").compile(monitored, new SimulationConfig(1).withMode(modes[m]))) {
                c.run(3000, rec);
            }
            traces[m] = rec.memory().state(monitored.stateMonitors().get(0).name());
        }
        assertEquals(traces[0].samples(), traces[1].samples());
        double worst = 0;
        for (int s = 0; s < traces[0].samples(); s++) {
            for (int j = 0; j < sampled.length; j++) {
                worst = Math.max(worst, Math.abs(traces[0].value(s, j) - traces[1].value(s, j)));
            }
        }
        assertTrue(worst < 1e-3, "v in both modes, every step: largest difference " + worst + " mV");
    }

    @Test
    void fixedPointAndOtherBackendsRefuseTheEventDrivenModeClearly() {
        Network net = TestNetworks.poissonDriven(1);
        SimulationConfig event = new SimulationConfig(1).withMode(EngineMode.EVENT_GRID);
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("cpu")
                .compile(net, event.withAccumulation(SimulationConfig.Accumulation.FIXED_POINT)));
        assertTrue(e.getMessage().contains("fixed-point"), e.getMessage());
        MyelinException r = assertThrows(MyelinException.class, () -> Backends.find("reference").compile(net, event));
        assertTrue(r.getMessage().contains("clock-driven only"), r.getMessage());
        assertEquals(EngineMode.EVENT_GRID, EngineMode.parse("event"));
        assertThrows(MyelinException.class, () -> EngineMode.parse("sometimes"));
    }
}
