package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.network.Transmission;

/** Membrane projections (the membrane shortcut): relays' values carried and added exactly, on the clock engine. */
class MembraneProjectionTest {
    private static final int STEPS = 12;
    /** Input values of relay a per step (source spike k in step k carries A[k]). */
    private static final float[] A = {0.7f, -1.25f, 0.1f, 3.5f, 0f, 2.2f};

    /**
     * A train fires in steps 0..5 into relay a (weight A[k] in step k: explicit synapses of a one-neuron source per
     * step); a carries v to relay b with delay 3 and weight 1, and to the LIF c with weight 0.5; b also gets a's value
     * through a second projection with delay 1 (a shortcut of unequal depth).
     */
    private static Network network() {
        Network.Builder b = Network.builder().dtMs(1.0);
        b.population("a", 2, DiscreteLifModel.relay());
        b.population("b", 2, DiscreteLifModel.relay());
        b.population("c", 2, new DiscreteLifModel(0.5, Double.NaN, 1.0, ResetMode.TO_VALUE));
        for (int k = 0; k < A.length; k++) {
            b.spikeTrain("s" + k, 1, new int[] {0}, new long[] {k});
            b.projection(Projection.between("s" + k, "a").connect(Connectivity.explicit(new int[] {0, 0},
                    new int[] {0, 1}, new double[] {A[k], -A[k]}, null)));
        }
        b.projection(Projection.between("a", "b").named("late").connect(Connectivity.oneToOne()).delaySteps(3)
                .transmission(Transmission.MEMBRANE));
        b.projection(Projection.between("a", "b").named("early").connect(Connectivity.oneToOne())
                .transmission(Transmission.MEMBRANE));
        b.projection(Projection.between("a", "c").connect(Connectivity.oneToOne()).weightMv(0.5)
                .transmission(Transmission.MEMBRANE));
        // a spiking population's membrane projection carries v, and its spikes send nothing through it
        b.population("d", 2, DiscreteLifModel.relay());
        b.projection(Projection.between("c", "d").connect(Connectivity.oneToOne()).weightMv(1.0)
                .transmission(Transmission.MEMBRANE));
        b.monitorState("a", "v", 0, 1).monitorState("b", "v", 0, 1).monitorState("c", "v", 0, 1).monitorSpikes("c");
        b.monitorState("d", "v", 0, 1);
        return b.build();
    }

    private static float[] series(StateTrace t, int neuron) {
        float[] out = new float[t.samples()];
        for (int s = 0; s < out.length; s++) {
            out[s] = (float) t.value(s, neuron);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} thread(s), checkpoint at {1}")
    @CsvSource({"1, 0", "2, 0", "1, 5", "2, 4"})
    void relaysCarryTheirStepsInputAndTheTargetsAddIt(int threads, int at) {
        SimulationConfig cfg = new SimulationConfig(threads).withMode(EngineMode.CLOCK);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(network(), cfg)) {
            if (at > 0) {
                c.run(at, rec);
                Checkpoint k = c.snapshot();
                try (CompiledNetwork d = Backends.find("cpu").compile(network(), cfg)) {
                    d.restore(k);
                    d.run(STEPS - at, rec);
                }
            } else {
                c.run(STEPS, rec);
            }
        }
        float[] a = new float[STEPS];
        float[] b = new float[STEPS];
        float[] cv = new float[STEPS];
        float v = 0f;
        for (int n = 0; n < STEPS; n++) {
            a[n] = n >= 1 && n - 1 < A.length ? A[n - 1] : 0f;
            float early = n >= 1 ? a[n - 1] : 0f;
            float late = n >= 3 ? a[n - 3] : 0f;
            b[n] = early + late;
            v = v * 0.5f + (n >= 1 ? a[n - 1] * 0.5f : 0f);
            if (v > 1.0f) {
                v = 0f;
            }
            cv[n] = v;
        }
        assertArrayEquals(a, series(rec.memory().state("a.v"), 0));
        assertArrayEquals(b, series(rec.memory().state("b.v"), 0));
        assertArrayEquals(cv, series(rec.memory().state("c.v"), 0));
        float[] negative = series(rec.memory().state("b.v"), 1);
        for (int n = 0; n < STEPS; n++) {
            assertEquals(-b[n], negative[n], 0f);
        }
        assertTrue(rec.memory().spikes("c").size() >= 1, "c must fire on a's 3.5");
        float[] d = series(rec.memory().state("d.v"), 0);
        for (int n = 0; n < STEPS; n++) {
            assertEquals(n >= 1 ? cv[n - 1] : 0f, d[n], 0f, "d carries c's v, step " + n);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"cpu, AUTO, FLOAT", "cpu, EVENT_PRECISE, FLOAT", "cpu, CLOCK, FIXED_POINT", "reference, CLOCK, FLOAT"})
    void enginesThatCarrySpikesOnlyRefuseByName(String backend, EngineMode mode, SimulationConfig.Accumulation acc) {
        SimulationConfig cfg = new SimulationConfig(1).withMode(mode).withAccumulation(acc);
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find(backend).compile(network(), cfg));
        assertTrue(e.getMessage().contains("projection 'late' carries membrane potentials"), e.getMessage());
    }

    @Test
    void theEventGridEngineCarriesOnlyWhatItKeepsUpToDate() {
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("cpu").compile(network(),
                new SimulationConfig(1).withMode(EngineMode.EVENT_GRID)));
        assertTrue(e.getMessage().contains("is the source of a membrane projection but runs event-driven"),
                e.getMessage());
    }

    @Test
    void aSpikeSourceHasNoMembraneToCarry() {
        MyelinException e = assertThrows(MyelinException.class, () -> Network.builder()
                .spikeTrain("s", 1, new int[] {0}, new long[] {0})
                .population("a", 1, DiscreteLifModel.relay())
                .projection(Projection.between("s", "a").transmission(Transmission.MEMBRANE)).build());
        assertTrue(e.getMessage().contains("needs a population as its source"), e.getMessage());
    }
}
