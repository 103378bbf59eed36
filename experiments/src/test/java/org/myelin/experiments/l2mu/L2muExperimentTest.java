package org.myelin.experiments.l2mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.learning.lmu.L2mu;

class L2muExperimentTest {
    @Test
    void aModelTrainedWithTheCoresResetRunsAsCoreNetworksWithTheSameSpikes() {
        L2muConfig c = L2muConfig.defaults("synthetic-har").withSize(1, 3, 16, 6).withSyntheticData(4, 10)
                .withCoreCheck(L2mu.Neuron.CUBA, L2mu.Encoder.SINGLE, 6);
        List<String> lines = new ArrayList<>();
        L2muResult r = L2muExperiment.run(c, lines::add);
        assertEquals(1, r.epochs().size());
        assertEquals(r.epochs().get(0).testAccuracy(), r.testAccuracy());
        assertTrue(r.data().source().startsWith("SYNTHETIC smartwatch data (4 subjects"), r.data().source());
        assertEquals(6, r.core().samples());
        assertEquals(6, r.core().identical());
        assertEquals(6, r.core().sameClass());
        assertEquals(0, r.core().differing());
        assertEquals("none", r.core().first());
        assertTrue(lines.get(1).startsWith("epoch 1: loss"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("core check: 6 test windows"), lines.toString());
        L2muResult again = L2muExperiment.run(c, line -> { });
        assertEquals(r.testAccuracy(), again.testAccuracy(), "same seed, same training");
        assertEquals(r.core().spikes(), again.core().spikes());
    }

    @Test
    void limitsTakeWindowsEvenlySpacedSoEveryActivityStays() {
        L2muConfig d = L2muConfig.defaults("synthetic-har").withSize(1, 3, 12, 6).withSyntheticData(4, 10);
        L2muConfig c = new L2muConfig(d.data(), d.neuron(), d.encoder(), d.epochs(), d.batchSize(), d.lr(), d.order(),
                d.theta(), d.hidden(), d.memory(), d.alpha(), d.immediateReset(), d.coreCheck(), d.save(), d.stride(),
                d.subjects(), d.seconds(), d.seed(), 70, 21);
        L2muResult r = L2muExperiment.run(c, line -> { });
        assertEquals(70, r.data().train().size());
        assertEquals(21, r.data().test().size());
        long classes = java.util.Arrays.stream(r.data().train().labels()).distinct().count();
        assertEquals(7, classes, "all seven activities in the limited training set");
        assertThrows(MyelinException.class, () -> new L2muConfig(d.data(), d.neuron(), d.encoder(), d.epochs(),
                d.batchSize(), d.lr(), d.order(), d.theta(), d.hidden(), d.memory(), d.alpha(), d.immediateReset(),
                d.coreCheck(), d.save(), d.stride(), d.subjects(), d.seconds(), d.seed(), 0, 1));
    }

    @Test
    void wisdmFilesInTheRealFormatAreSplitBySubject() {
        L2muConfig c = L2muConfig.defaults("wisdm:../datasets/src/test/resources/fixtures/wisdm").withSize(1, 3, 12, 6);
        L2muResult r = L2muExperiment.run(c, line -> { });
        assertEquals(List.of(List.of(1600), List.of(1601)), r.data().split());
        assertTrue(r.data().train().size() > 0 && r.data().test().size() > 0);
        assertNull(r.core(), "no core check asked for");
    }

    @Test
    void theCoreCheckNeedsASpikingNeuron() {
        L2muConfig d = L2muConfig.defaults("synthetic-har");
        MyelinException e = assertThrows(MyelinException.class, () -> new L2muConfig(d.data(),
                org.myelin.learning.lmu.L2mu.Neuron.ANN, d.encoder(), 1, 64, 1e-3, 3, 10, 8, 4, 0.3f, false, 3, null,
                40, 4, 10, 1));
        assertTrue(e.getMessage().contains("the ANN baseline has no spikes"), e.getMessage());
        // snnTorch's delayed reset (immediateReset false) is accepted: the core runs it
        new L2muConfig(d.data(), d.neuron(), d.encoder(), 1, 64, 1e-3, 3, 10, 8, 4, 0.3f, false, 3, null, 40, 4, 10, 1);
        MyelinException bad = assertThrows(MyelinException.class, () -> HarWindows.load("wisdm:/nonexistent", 4,
                10, 40, 1));
        assertTrue(bad.getMessage().contains("at least 2 subjects"), bad.getMessage());
    }
}
