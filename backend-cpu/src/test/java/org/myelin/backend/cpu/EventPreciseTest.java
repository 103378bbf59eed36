package org.myelin.backend.cpu;

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
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.NeuronModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/** The event-driven precise mode against analytic single-neuron solutions, and the grid modes as dt goes to 0. */
class EventPreciseTest {
    private static final double TOLERANCE_MS = 1e-6;

    /** Spike times (ms) of neuron 0 of population "n"; checks each one's step is ceil(t / dt) - 1. */
    static double[] times(Network net, EngineMode mode, double ms) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(1).withMode(mode))) {
            c.run(net.steps(ms), rec);
        }
        SpikeRecord s = rec.memory().spikes("n");
        List<Double> l = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            if (s.neuron(i) != 0) {
                continue;
            }
            double t = mode == EngineMode.EVENT_PRECISE ? s.timeMs(i) : (s.step(i) + 1) * net.dtMs();
            if (mode == EngineMode.EVENT_PRECISE) {
                assertEquals(Math.ceil(t / net.dtMs() - 1e-9) - 1, s.step(i), "step of the spike at " + t + " ms");
            }
            l.add(t);
        }
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Network alone(NeuronModel model, double dt) {
        return Network.builder().dtMs(dt).seed(1)
                .population("n", 1, model, Distribution.constant(model.membrane().restingMv()))
                .monitorSpikes("n").build();
    }

    /** One neuron fed by spike-train inputs arriving at the given times (ms; multiples of dt), one synapse each. */
    private static Network driven(NeuronModel model, double dt, double[] arrivalMs, double weightMv, int delaySteps) {
        int[] who = new int[arrivalMs.length];
        long[] when = new long[arrivalMs.length];
        for (int k = 0; k < arrivalMs.length; k++) {
            // a generator's spike of step s acts from time (s + delay) dt
            when[k] = Math.round(arrivalMs[k] / dt) - delaySteps;
        }
        return Network.builder().dtMs(dt).seed(1)
                .population("n", 1, model, Distribution.constant(model.membrane().restingMv()))
                .spikeTrain("in", 1, who, when)
                .projection(Projection.between("in", "n").connect(Connectivity.allToAll()).weightMv(weightMv)
                        .delaySteps(delaySteps))
                .monitorSpikes("n").build();
    }

    @Test
    void lifWithAConstantCurrentFiresAtTheAnalyticTimes() {
        // tau 10 ms, 0.15 nA x 100 MOhm = 15 mV towards a threshold 10 mV above rest, reset to rest, 2 ms dead time
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-65)
                .refractoryMs(2).resistanceMOhm(100).biasCurrentNa(0.15).build();
        double first = 10 * Math.log(15.0 / 5.0);
        double[] t = times(alone(lif, 0.1), EngineMode.EVENT_PRECISE, 200);
        assertTrue(t.length >= 14, t.length + " spikes");
        for (int k = 0; k < t.length; k++) {
            assertEquals(first + k * (2 + first), t[k], TOLERANCE_MS, "spike " + k);
        }
    }

    @Test
    void cubaLifWithAConstantCurrentFiresAtTheAnalyticTimesWithResetBySubtraction() {
        // the current charges the membrane directly; from reset (2 mV above rest) the ISI is ref + tau ln((E-2)/(E-10))
        CubaLifModel m = CubaLifModel.builder().tauMembraneMs(20).tauSynMs(5).restingMv(-70).thresholdMv(-60)
                .resetMv(-68).refractoryMs(1).resistanceMOhm(50).biasCurrentNa(0.3)
                .resetMode(ResetMode.SUBTRACT).build();
        double first = 20 * Math.log(15.0 / 5.0);
        double isi = 1 + 20 * Math.log(13.0 / 5.0);
        double[] t = times(alone(m, 0.1), EngineMode.EVENT_PRECISE, 300);
        assertTrue(t.length >= 8, t.length + " spikes");
        for (int k = 0; k < t.length; k++) {
            assertEquals(first + k * isi, t[k], TOLERANCE_MS, "spike " + k);
        }
    }

    @Test
    void aLifNeuronFiresExactlyAtTheInputThatLiftsItOverThreshold() {
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-65).build();
        assertEquals(5.0, times(driven(lif, 0.1, new double[] {5.0}, 12, 1), EngineMode.EVENT_PRECISE, 50)[0], 1e-12);
        // a delay of 4 steps is a transmission delay of 3 steps (0.3 ms) after the generator's spike time
        double[] t = times(driven(lif, 0.1, new double[] {5.0}, 12, 4), EngineMode.EVENT_PRECISE, 50);
        assertEquals(5.0, t[0], 1e-12);
        assertEquals(0, times(driven(lif, 0.1, new double[] {5.0}, 9, 1), EngineMode.EVENT_PRECISE, 50).length);
    }

    @Test
    void continuousDelaysAreKeptInThePreciseModeAndRoundedOnTheGrid() {
        // a delay of 3.37 steps: a transmission delay of 2.37 dt after the generator's spike at 5.0 ms
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-65).build();
        Network net = Network.builder().dtMs(0.1).seed(1)
                .population("n", 1, lif, Distribution.constant(-65))
                .spikeTrain("in", 1, new int[] {0}, new long[] {49})
                .projection(Projection.between("in", "n").connect(Connectivity.allToAll()).weightMv(12)
                        .delaySteps(Distribution.constant(3.37)))
                .monitorSpikes("n").build();
        assertEquals(5.0 + 2.37 * 0.1, times(net, EngineMode.EVENT_PRECISE, 20)[0], 1e-6);
        // the grid rounds to 3 steps: the input acts from step 52, the spike is reported at its end
        assertEquals(5.3, times(net, EngineMode.CLOCK, 20)[0], 1e-9);
        assertEquals(5.3, times(net, EngineMode.EVENT_GRID, 20)[0], 1e-9);
    }

    /** The test's own root of w k (e^(-s/tauS) - e^(-s/tauM)) = vt (or w s/tau e^(-s/tau) when tauS = tauM). */
    private static double cubaCrossing(double w, double tauS, double tauM, double vt) {
        java.util.function.DoubleUnaryOperator u = s -> tauS == tauM ? w * s / tauM * Math.exp(-s / tauM)
                : w * tauS / (tauS - tauM) * (Math.exp(-s / tauS) - Math.exp(-s / tauM));
        double lo = 0;
        double hi = 0;
        for (double s = 0; s < 200; s += 1e-3) {
            if (u.applyAsDouble(s) > vt) {
                hi = s;
                break;
            }
            lo = s;
        }
        for (int k = 0; k < 200; k++) {
            double mid = 0.5 * (lo + hi);
            if (u.applyAsDouble(mid) > vt) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    @Test
    void aCubaNeuronCrossesAfterASingleInputAtTheAnalyticTime() {
        for (double[] c : new double[][] {{100, 5, 20}, {160, 5, 20}, {60, 10, 10}, {120, 2, 15}}) {
            double w = c[0];
            CubaLifModel m = CubaLifModel.builder().tauMembraneMs(c[2]).tauSynMs(c[1]).restingMv(-65)
                    .thresholdMv(-55).resetMv(-65).refractoryMs(50).build();
            double expected = 3.0 + cubaCrossing(w, c[1], c[2], 10);
            double[] t = times(driven(m, 0.1, new double[] {3.0}, w, 1), EngineMode.EVENT_PRECISE, 100);
            assertEquals(1, t.length, "one spike for w " + w);
            assertEquals(expected, t[0], TOLERANCE_MS, "w " + w + ", tauS " + c[1] + ", tauM " + c[2]);
        }
    }

    @Test
    void gridSpikeTimesConvergeToThePreciseOnesAsDtShrinks() {
        CubaLifModel m = CubaLifModel.builder().tauMembraneMs(20).tauSynMs(5).restingMv(-65).thresholdMv(-55)
                .resetMv(-65).refractoryMs(2).build();
        double[] arrivals = new double[40];
        for (int k = 0; k < arrivals.length; k++) {
            arrivals[k] = 2.0 + 3.7 * k;
        }
        double[] precise = times(driven(m, 0.1, arrivals, 30, 1), EngineMode.EVENT_PRECISE, 200);
        assertTrue(precise.length >= 10, precise.length + " spikes");
        // the precise mode does not depend on dt when the inputs do not
        double[] fine = times(driven(m, 0.001, arrivals, 30, 1), EngineMode.EVENT_PRECISE, 200);
        assertEquals(precise.length, fine.length);
        for (int k = 0; k < precise.length; k++) {
            assertEquals(precise[k], fine[k], 1e-9, "precise spike " + k + " at dt 0.1 and 0.001");
        }
        double previous = Double.POSITIVE_INFINITY;
        for (double dt : new double[] {0.1, 0.01, 0.001}) {
            for (EngineMode grid : new EngineMode[] {EngineMode.CLOCK, EngineMode.EVENT_GRID}) {
                double[] g = times(driven(m, dt, arrivals, 30, 1), grid, 200);
                assertEquals(precise.length, g.length, grid + " at dt " + dt + ": spike count");
                double worst = 0;
                for (int k = 0; k < g.length; k++) {
                    worst = Math.max(worst, Math.abs(g[k] - precise[k]));
                }
                // a grid spike lands at the end of the step of the crossing: within one step, give or take the
                // refractory period's rounding
                assertTrue(worst <= 2 * dt + 1e-9, grid + " at dt " + dt + ": largest difference " + worst + " ms");
                if (grid == EngineMode.EVENT_GRID) {
                    assertTrue(worst < previous, "dt " + dt + ": " + worst + " ms, not below " + previous);
                    previous = worst;
                }
            }
        }
        assertTrue(previous < 0.003, "at dt 0.001 the grid spikes are within 0.003 ms: " + previous);
    }

    @Test
    void aChainOfCubaPopulationsWithZeroDelaysAgreesWithTheFineGrid() {
        // off-grid spikes of A reach B with no delay while the generators' spikes of every step are queued too
        CubaLifModel m = CubaLifModel.builder().tauMembraneMs(20).tauSynMs(5).restingMv(-65).thresholdMv(-50)
                .resetMv(-65).refractoryMs(2).build();
        java.util.function.DoubleFunction<Network> build = dt -> Network.builder().dtMs(dt).seed(9)
                .poisson("in", 200, 20.0)
                .population("a", 300, m, Distribution.uniform(-65, -52))
                .population("b", 200, m, Distribution.uniform(-65, -52))
                .projection(Projection.between("in", "a").connect(Connectivity.fixedInDegree(40)).weightMv(4.0))
                .projection(Projection.between("a", "b").connect(Connectivity.fixedInDegree(40)).weightMv(5.0))
                .projection(Projection.between("in", "b").named("direct").connect(Connectivity.fixedInDegree(10))
                        .weightMv(2.0))
                .monitorSpikes("a").monitorSpikes("b").build();
        Network net = build.apply(0.1);
        int[] counts = new int[2];
        double[] first = null;
        for (int run = 0; run < 2; run++) {
            Recording rec = Recording.inMemory();
            try (CompiledNetwork c = Backends.find("cpu").compile(net,
                    new SimulationConfig(1).withMode(EngineMode.EVENT_PRECISE))) {
                c.run(net.steps(500), rec);
            }
            SpikeRecord b = rec.memory().spikes("b");
            double[] t = new double[b.size()];
            for (int k = 0; k < t.length; k++) {
                t[k] = b.timeMs(k);
                assertTrue(!Double.isNaN(t[k]), "spike " + k + " has its exact time");
            }
            if (first == null) {
                first = t;
                counts[0] = rec.memory().spikes("a").size();
                counts[1] = b.size();
            } else {
                assertTrue(java.util.Arrays.equals(first, t), "the same spike times in a second run");
            }
        }
        assertTrue(counts[0] > 500 && counts[1] > 500, "active: " + counts[0] + ", " + counts[1]);
        // spike counts of the grid modes at dt 0.1 are within a few percent (different delays of up to one step)
        Recording grid = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(1).withMode(EngineMode.EVENT_GRID))) {
            c.run(net.steps(500), grid);
        }
        int gridB = grid.memory().spikes("b").size();
        assertEquals(counts[1], gridB, 0.1 * counts[1], "population b: precise " + counts[1] + ", grid " + gridB);
    }

    @Test
    void aDiscreteTimeModelIsRefusedWithAReason() {
        Network net = Network.builder().dtMs(1).population("n", 2, new DiscreteLifModel(0.9, Double.NaN, 1.0,
                ResetMode.SUBTRACT)).build();
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("cpu")
                .compile(net, new SimulationConfig(1).withMode(EngineMode.EVENT_PRECISE)));
        assertTrue(e.getMessage().contains("discrete time"), e.getMessage());
    }
}
