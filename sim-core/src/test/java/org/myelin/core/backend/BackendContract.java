package org.myelin.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * What every backend must do, checked against closed-form solutions. Each backend module subclasses this
 * suite and says which backend and configuration to use.
 */
public abstract class BackendContract {

    protected abstract Backend backend();

    protected SimulationConfig config() {
        return new SimulationConfig(1);
    }

    /** Relative tolerance on membrane values (float engines need more room than double ones). */
    protected double valueTolerance() {
        return 1e-4;
    }

    protected Recording run(Network net, long steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = backend().compile(net, config())) {
            c.run(steps, rec);
        }
        return rec;
    }

    private static final double TAU = 20;
    private static final double REST = -70;
    private static final double THETA = -50;
    private static final double R = 100;
    private static final double T_REF = 2;

    static double analyticIsiMs(double currentNa, boolean fromRest) {
        double drive = R * currentNa;
        double gap = THETA - REST;
        double rise = TAU * Math.log(drive / (drive - gap));
        return fromRest ? rise : T_REF + rise;
    }

    private static LifModel lif() {
        return LifModel.builder().tauMembraneMs(TAU).restingMv(REST).thresholdMv(THETA).resetMv(REST)
                .refractoryMs(T_REF).resistanceMOhm(R).build();
    }

    @Test
    public void lifUnderConstantCurrentSpikesWithinOneStepOfTheAnalyticInterval() {
        double dt = 0.1;
        double currentNa = 0.3;
        Network net = Network.builder().dtMs(dt)
                .population("n", 1, lif())
                .current(CurrentInput.constant("i", "n", currentNa))
                .monitorSpikes("n").build();
        SpikeRecord s = run(net, 10_000).memory().spikes("n");
        double isi = analyticIsiMs(currentNa, false);
        assertTrue(s.size() >= 40, "expected about 1000/" + isi + " spikes, got " + s.size());
        // the first spike is detected at the end of the step in which v crosses threshold
        double first = (s.step(0) + 1) * dt;
        assertEquals(analyticIsiMs(currentNa, true), first, dt, "first spike time (ms)");
        for (int k = 1; k < s.size(); k++) {
            double measured = (s.step(k) - s.step(k - 1)) * dt;
            assertEquals(isi, measured, dt, "inter-spike interval " + k + " (ms)");
        }
    }

    @Test
    public void lifFiringRateFollowsTheAnalyticFICurve() {
        double dt = 0.1;
        double[] currents = {0.05, 0.15, 0.2, 0.21, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0};
        Network.Builder b = Network.builder().dtMs(dt).population("n", currents.length, lif());
        for (int i = 0; i < currents.length; i++) {
            b.current(CurrentInput.constant("i" + i, "n", currents[i]).onNeurons(i));
        }
        Network net = b.monitorSpikes("n").build();
        SpikeRecord s = run(net, 10_000).memory().spikes("n");
        int[] counts = s.countsPerNeuron(currents.length);
        for (int i = 0; i < currents.length; i++) {
            double rheobase = (THETA - REST) / R;
            if (currents[i] <= rheobase) {
                assertEquals(0, counts[i], "below rheobase, I = " + currents[i] + " nA must stay silent");
                continue;
            }
            double isi = analyticIsiMs(currents[i], false);
            double first = analyticIsiMs(currents[i], true);
            // spikes in 1 s: 1 + floor((1000 - first) / isi), each interval within one step
            double lo = 1 + Math.floor((1000 - first - dt) / isi);
            double hi = 1 + Math.floor((1000 - first + dt) / (isi - dt));
            assertTrue(counts[i] >= lo && counts[i] <= hi,
                    "I = " + currents[i] + " nA: " + counts[i] + " spikes, expected in [" + lo + ", " + hi + "]");
        }
    }

    @Test
    public void cubaPostsynapticPotentialMatchesTheClosedForm() {
        double dt = 0.01;
        double tauM = 20;
        double tauS = 5;
        double w = 1.0;
        CubaLifModel model = CubaLifModel.builder().tauMembraneMs(tauM).tauSynExcMs(tauS).restingMv(0)
                .thresholdMv(1e3).resetMv(0).refractoryMs(0).build();
        Network net = Network.builder().dtMs(dt)
                .spikeTrain("in", 1, new int[] {0}, new long[] {0})
                .population("n", 1, model)
                .projection(Projection.between("in", "n").weightMv(w).delaySteps(1))
                .monitorState("n", "v", 0).build();
        StateTrace tr = run(net, 5000).memory().state("n.v");
        // input arrives at the start of step 1, i.e. t0 = dt; sample n is the state at (n + 1) dt
        double t0 = dt;
        double tPeak = tauM * tauS / (tauM - tauS) * Math.log(tauM / tauS);
        double vPeak = w * tauS / (tauS - tauM) * (Math.exp(-tPeak / tauS) - Math.exp(-tPeak / tauM));
        int best = 0;
        for (int i = 1; i < tr.samples(); i++) {
            if (tr.value(i, 0) > tr.value(best, 0)) {
                best = i;
            }
        }
        // least-squares parabola over +-0.5 ms around the largest sample
        int half = (int) Math.round(0.5 / dt);
        double[] fit = parabola(tr, best - half, best + half, dt, t0);
        double measuredT = fit[0];
        double measuredV = fit[1];
        assertEquals(tPeak, measuredT, 1e-4 * tPeak, "PSP peak time (ms)");
        assertEquals(vPeak, measuredV, valueTolerance() * vPeak, "PSP peak value (mV)");
        // and the whole trace, sample by sample
        for (int i = 0; i < tr.samples(); i += 97) {
            double t = (i + 1) * dt - t0;
            double exact = t < 0 ? 0 : w * tauS / (tauS - tauM) * (Math.exp(-t / tauS) - Math.exp(-t / tauM));
            assertEquals(exact, tr.value(i, 0), valueTolerance() * vPeak, "v at sample " + i);
        }
    }

    /**
     * Least-squares cubic v = a + b x + c x^2 + d x^3 over samples [from, to] (x: time since input minus the
     * window centre, ms); returns {time of the maximum, value there}. A cubic keeps the vertex unbiased by
     * the PSP's asymmetry.
     */
    private static double[] parabola(StateTrace tr, int from, int to, double dt, double t0) {
        double centre = ((from + to) / 2.0 + 1) * dt - t0;
        int k = 4;
        double[][] m = new double[k][k + 1];
        for (int i = from; i <= to; i++) {
            double x = (i + 1) * dt - t0 - centre;
            double y = tr.value(i, 0);
            double[] phi = {1, x, x * x, x * x * x};
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    m[r][c] += phi[r] * phi[c];
                }
                m[r][k] += phi[r] * y;
            }
        }
        for (int p = 0; p < k; p++) {
            for (int r = p + 1; r < k; r++) {
                double f = m[r][p] / m[p][p];
                for (int c = p; c <= k; c++) {
                    m[r][c] -= f * m[p][c];
                }
            }
        }
        double[] a = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double acc = m[r][k];
            for (int c = r + 1; c < k; c++) {
                acc -= m[r][c] * a[c];
            }
            a[r] = acc / m[r][r];
        }
        double x = 0;
        for (int it = 0; it < 50; it++) {
            double d1 = a[1] + 2 * a[2] * x + 3 * a[3] * x * x;
            double d2 = 2 * a[2] + 6 * a[3] * x;
            x -= d1 / d2;
        }
        return new double[] {centre + x, a[0] + a[1] * x + a[2] * x * x + a[3] * x * x * x};
    }

    @Test
    public void deltaSynapseJumpsTheMembraneAndDecaysExactly() {
        double dt = 0.1;
        LifModel model = LifModel.builder().tauMembraneMs(10).restingMv(0).thresholdMv(100).resetMv(0)
                .refractoryMs(0).build();
        Network net = Network.builder().dtMs(dt)
                .spikeTrain("in", 1, new int[] {0}, new long[] {4})
                .population("n", 1, model)
                .projection(Projection.between("in", "n").weightMv(2.0).delaySteps(3))
                .monitorState("n", "v", 0).build();
        StateTrace tr = run(net, 200).memory().state("n.v");
        // spike of step 4 with delay 3 acts in step 7: v = 2 right after that step, then decays
        assertEquals(0.0, tr.value(6, 0), 1e-12);
        for (int i = 7; i < 200; i++) {
            double exact = 2.0 * Math.exp(-(i - 7) * dt / 10);
            assertEquals(exact, tr.value(i, 0), 1e-5, "v at step " + i);
        }
    }

    @Test
    public void refractoryNeuronIsFrozenAndResetBySubtractionKeepsTheOvershoot() {
        double dt = 1.0;
        LifModel model = LifModel.builder().tauMembraneMs(1e9).restingMv(0).thresholdMv(1).resetMv(0)
                .refractoryMs(3).resetMode(ResetMode.SUBTRACT).build();
        // inputs of 1.5 at steps 0, 1 and 5 act in steps 1, 2 and 6: spike in step 1 (v = 0.5), frozen in
        // steps 2 and 3 so the second input is lost, integrating from step 4, spike again in step 6 (v = 1.0)
        Network net = Network.builder().dtMs(dt)
                .spikeTrain("in", 1, new int[] {0, 0, 0}, new long[] {0, 1, 5})
                .population("n", 1, model)
                .projection(Projection.between("in", "n").weightMv(1.5))
                .monitorSpikes("n").monitorState("n", "v", 0).build();
        Recording rec = run(net, 8);
        SpikeRecord s = rec.memory().spikes("n");
        StateTrace v = rec.memory().state("n.v");
        assertEquals(2, s.size(), "spikes");
        assertEquals(1, s.step(0));
        assertEquals(6, s.step(1));
        assertEquals(0.5, v.value(1, 0), 1e-6, "v after subtraction");
        assertEquals(0.5, v.value(2, 0), 1e-6, "frozen: the input of step 2 is lost");
        assertEquals(0.5, v.value(3, 0), 1e-6, "frozen");
        assertEquals(0.5, v.value(4, 0), 1e-6, "integrating again, nothing arrived");
        assertEquals(0.5, v.value(5, 0), 1e-6, "integrating again, nothing arrived");
        assertEquals(1.0, v.value(6, 0), 1e-6, "0.5 + 1.5 crossed threshold and lost 1.0 by subtraction");
    }

    @Test
    public void poissonSourceFiresAtItsRate() {
        Network net = Network.builder().dtMs(0.1).seed(7)
                .poisson("p", 200, 50.0).monitorSpikes("p").monitorRate("p", 1000).build();
        Recording rec = run(net, 10_000);
        SpikeRecord s = rec.memory().spikes("p");
        double expected = 200 * 50.0;
        assertEquals(expected, s.size(), 4 * Math.sqrt(expected), "spikes of 200 x 50 Hz over 1 s");
        assertEquals(10, rec.memory().rate("p.rate").bins());
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += rec.memory().rate("p.rate").rateHz(i);
        }
        assertEquals(s.size() / 200.0, sum / 10, 1e-9, "rate bins average to the spike count");
    }

    @Test
    public void everyConnectivityRuleDeliversToTheRightTargets() {
        // each source spikes once, at its own step; target j's membrane records which inputs arrived
        LifModel model = LifModel.builder().tauMembraneMs(1e12).restingMv(0).thresholdMv(1e9).resetMv(0)
                .refractoryMs(0).build();
        int[] pre = {0, 1, 1, 2};
        int[] post = {2, 0, 1, 2};
        double[] w = {1, 10, 100, 1000};
        Network net = Network.builder().dtMs(1)
                .spikeTrain("in", 3, new int[] {0, 1, 2}, new long[] {0, 0, 0})
                .population("n", 3, model)
                .projection(Projection.between("in", "n").named("list").connect(Connectivity.explicit(pre, post, w, null)))
                .projection(Projection.between("in", "n").named("one").connect(Connectivity.oneToOne()).weightMv(1e4))
                .monitorState("n", "v", 0, 1, 2).build();
        StateTrace tr = run(net, 3).memory().state("n.v");
        assertEquals(10 + 1e4, tr.value(2, 0), 1e-3);
        assertEquals(100 + 1e4, tr.value(2, 1), 1e-3);
        assertEquals(1 + 1000 + 1e4, tr.value(2, 2), 1e-3);
    }

    @Test
    public void initialStateIsDrawnFromItsDistribution() {
        Network net = Network.builder().seed(3)
                .population("n", 1000, CubaLifModel.builder().build(), Distribution.uniform(-60, -55))
                .monitorState("n", "v", 0, 1, 2, 3, 999).build();
        Network same = Network.builder().seed(3)
                .population("n", 1000, CubaLifModel.builder().build(), Distribution.uniform(-60, -55))
                .monitorState("n", "v", 0, 1, 2, 3, 999).build();
        StateTrace a = run(net, 1).memory().state("n.v");
        StateTrace b = run(same, 1).memory().state("n.v");
        for (int k = 0; k < 5; k++) {
            assertEquals(a.value(0, k), b.value(0, k), 0.0);
            assertTrue(a.value(0, k) < -54 && a.value(0, k) > -61, "v0 = " + a.value(0, k));
        }
    }
}
