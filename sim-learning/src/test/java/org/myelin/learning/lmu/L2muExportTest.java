package org.myelin.learning.lmu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.tensor.Tensor;

/**
 * An L2MU exported to the core ({@link L2muExport}) gives, on the CPU backend, the spikes of the training graph's
 * forward pass in every population and every step, and so the same output counts and class.
 */
class L2muExportTest {

    /** Every population's spikes compared step by step; returns the spike count per population (enc, u, m, h, out). */
    static long[] compare(L2mu model, Tensor window, int threads) {
        return compare(model, window, new SimulationConfig(threads));
    }

    static long[] compare(L2mu model, Tensor window, SimulationConfig config) {
        L2muExport.Agreement a = L2muExport.verify(model, window, Backends.find("cpu"), config);
        assertTrue(a.identical(), a.differing() + " of " + a.spikes() + " spikes differ; first: " + a.firstDifference());
        assertArrayEquals(a.graphScores(), a.coreScores(), "output spike counts");
        assertEquals(a.graphClass(), a.coreClass());
        return a.perPopulation();
    }

    private static L2mu activeModel(L2mu.Neuron neuron, L2mu.Encoder enc) {
        return activeModel(neuron, enc, true);
    }

    private static L2mu activeModel(L2mu.Neuron neuron, L2mu.Encoder enc, boolean immediateReset) {
        L2mu model = new L2mu(L2muTest.small(neuron, enc).withSizes(3, 5, 12, 6).withImmediateReset(immediateReset));
        float[] em = model.tensor("e_m").data();
        for (int i = 0; i < em.length; i++) {
            em[i] = (float) (CounterRandom.uniform(3, 3, i, 0) - 0.5);
        }
        // livelier output and input module, so that there is much to compare
        scale(model.tensor("out.weight"), 3);
        for (int c = 0; enc == L2mu.Encoder.SINGLE && c < 3; c++) {
            scale(model.tensor("enc" + c + ".weight"), 2);
        }
        return model;
    }

    private static void scale(Tensor t, float by) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= by;
        }
    }

    @ParameterizedTest(name = "{0}, encoder {1}, {2} thread(s)")
    @CsvSource({"LIF, PLAIN, 1", "LIF, SINGLE, 2", "CUBA, PLAIN, 2", "CUBA, SINGLE, 1"})
    void theExportedCellSpikesAsTheTrainingGraphInEveryPopulation(L2mu.Neuron neuron, L2mu.Encoder enc, int threads) {
        L2mu model = activeModel(neuron, enc);
        long[] counts = compare(model, L2muTest.input(30, 1, 3, 9), threads);
        assertTrue(counts[1] > 20 && counts[2] > 20 && counts[3] > 20 && counts[4] > 10,
                "the populations must be active to compare: " + java.util.Arrays.toString(counts));
        if (enc == L2mu.Encoder.SINGLE) {
            assertTrue(counts[0] > 30, "the input module spikes: " + counts[0]);
        }
    }

    /**
     * snnTorch's default delayed reset (the threshold comes off at the next update, after integrating) runs as it is:
     * the same spikes as the training graph in the clock and event-grid engines, LIF and CuBa.
     */
    @ParameterizedTest(name = "{0}, encoder {1}, {2}")
    @CsvSource({"LIF, PLAIN, CLOCK", "CUBA, SINGLE, CLOCK", "LIF, SINGLE, EVENT_GRID", "CUBA, PLAIN, EVENT_GRID"})
    void theDelayedResetRunsAsTrained(L2mu.Neuron neuron, L2mu.Encoder enc, EngineMode mode) {
        L2mu model = activeModel(neuron, enc, false);
        long[] counts = compare(model, L2muTest.input(30, 1, 3, 9), new SimulationConfig(1).withMode(mode));
        assertTrue(counts[1] > 20 && counts[2] > 20 && counts[3] > 20 && counts[4] > 5,
                "the populations must be active to compare: " + java.util.Arrays.toString(counts));
    }

    /** The event-driven grid engine runs the multi-rate cell as the clock engine does: the same spikes everywhere. */
    @ParameterizedTest(name = "{0}, encoder {1}, {2}")
    @CsvSource({"LIF, PLAIN, EVENT_GRID", "CUBA, SINGLE, EVENT_GRID", "CUBA, PLAIN, AUTO"})
    void theEventDrivenModesRunTheCellAlike(L2mu.Neuron neuron, L2mu.Encoder enc, EngineMode mode) {
        L2mu model = activeModel(neuron, enc);
        long[] counts = compare(model, L2muTest.input(30, 1, 3, 9), new SimulationConfig(1).withMode(mode));
        assertTrue(counts[1] > 20 && counts[2] > 20 && counts[3] > 20 && counts[4] > 10,
                "the populations must be active to compare: " + java.util.Arrays.toString(counts));
    }

    /** A trained model (rhythms told apart, as in L2muTest), exported per test window: the same class every time. */
    @ParameterizedTest(name = "{0}, encoder {1}")
    @CsvSource({"LIF, PLAIN", "CUBA, SINGLE"})
    void aTrainedModelClassifiesEveryWindowAlikeOnTheCore(L2mu.Neuron neuron, L2mu.Encoder enc) {
        L2muTraining.Windows all = L2muTest.rhythms(120, 20);
        L2mu.Spec s = L2mu.Spec.reference(3, 3, neuron, enc, 2).withSizes(4, 8, 24, 8)
                .withImmediateReset(true);
        L2mu model = new L2mu(s);
        L2muTraining tr = new L2muTraining(model, 5e-3, 15, 1);
        tr.fit(all, null, 8, null);
        double acc = tr.evaluate(all);
        assertTrue(acc > 0.5, "training must have worked (chance 0.33): " + acc);
        long outSpikes = 0;
        for (int i = 0; i < 12; i++) {
            Tensor window = tr.batch(all, new int[] {i}, 0, 1);
            outSpikes += compare(model, window, 1)[4];
        }
        assertTrue(outSpikes > 12, "the output must spike: " + outSpikes);
    }

    @Test
    void whatCannotRunExactlyIsRefusedWithTheReason() {
        Tensor x = L2muTest.input(4, 1, 3, 1);
        L2mu ann = new L2mu(L2muTest.small(L2mu.Neuron.ANN, L2mu.Encoder.PLAIN).withImmediateReset(true));
        MyelinException e = assertThrows(MyelinException.class, () -> L2muExport.export(ann, x, 1.0));
        assertTrue(e.getMessage().contains("ANN"), e.getMessage());
        L2mu lif = activeModel(L2mu.Neuron.LIF, L2mu.Encoder.PLAIN);
        e = assertThrows(MyelinException.class, () -> L2muExport.export(lif, L2muTest.input(4, 2, 3, 1), 1.0));
        assertTrue(e.getMessage().contains("(steps, 1, 3)"), e.getMessage());
        L2muExport.Exported ex = L2muExport.export(lif, x, 1.0);
        assertEquals(4 * L2muExport.STRIDE + 10, ex.stepOf("out", 4));
        assertEquals(3 * L2muExport.STRIDE + 10 + 1, ex.stepsToRun(), "the output's last sample step (3) is run");
        e = assertThrows(MyelinException.class, () -> ex.sampleStepOf("u", 5));
        assertTrue(e.getMessage().contains("does not update"), e.getMessage());
    }
}
