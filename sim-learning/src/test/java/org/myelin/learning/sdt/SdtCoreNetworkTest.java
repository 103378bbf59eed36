package org.myelin.learning.sdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.backend.cpu.CpuBackend;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.core.spikedriven.SpikeProgramNetwork;

/** The spike-driven transformer as a core network: the program runner's scores and spikes, bit for bit. */
class SdtCoreNetworkTest {
    private static float[] images(int n, int size, long seed) {
        return MetaSpikeFormerTest.images(n, size, seed);
    }

    private static void settle(MetaSpikeFormer m, int size) {
        MetaSpikeFormerTest.settle(m, size);
    }

    @Test
    void convolutionAndAttentionStagesRunAsACoreNetworkWithTheProgramsValues() {
        List<SdtSpec> specs = List.of(
                new SdtSpec(1, 8, 3, 3, SdtSpec.parseStages("4c1k3s2,8a1k3s2"), 2, 2, "sdsa1", false, 5),
                new SdtSpec(1, 8, 3, 2, SdtSpec.parseStages("4c1k3s2,8a1k3s2"), 2, 2, "sdsa1", true, 7)
                        .transformerOnly(),
                new SdtSpec(1, 8, 3, 2, SdtSpec.parseStages("4c1k3s2,8a1k3s2"), 2, 2, "sdsa3", true, 5),
                new SdtSpec(1, 8, 3, 3, SdtSpec.parseStages("4c1k3s2,8a1k3s2"), 2, 2, "sdsa3", false, 9)
                        .transformerOnly());
        for (SdtSpec spec : specs) {
            MetaSpikeFormer m = new MetaSpikeFormer(spec);
            settle(m, 8);
            SpikeProgram p = m.export();
            SpikeDrivenEngine engine = new SpikeDrivenEngine(p);
            int n = 8;
            float[] x = images(n, 8, 21);
            long fired = 0;
            SpikeProgramNetwork reused = SpikeProgramNetwork.of(p);
            CompiledNetwork once = new CpuBackend().compile(reused.network(), SimulationConfig.defaults()
                    .withThreads(1).withMode(spec.attention().equals("sdsa3") ? EngineMode.EVENT_GRID : EngineMode.CLOCK));
            org.myelin.core.checkpoint.Checkpoint fresh = once.snapshot();
            for (int i = 0; i < n; i++) {
                float[] sample = java.util.Arrays.copyOfRange(x, i * 64, (i + 1) * 64);
                SpikeDrivenEngine.Result expected = engine.run(sample);
                SpikeProgramNetwork net = SpikeProgramNetwork.of(p, sample);
                for (int threads : new int[] {1, 2, 0}) {
                    // 0: the event-grid engine
                    Recording rec = Recording.inMemory();
                    try (CompiledNetwork c = new CpuBackend().compile(net.network(), SimulationConfig.defaults()
                            .withThreads(Math.max(1, threads))
                            .withMode(threads == 0 ? EngineMode.EVENT_GRID : EngineMode.CLOCK))) {
                        c.run(net.stepsToRun(), rec);
                    }
                    String what = spec + " sample " + i + ", " + (threads == 0 ? "event grid" : threads + " threads");
                    assertArrayEquals(expected.scores(), net.scores(rec.memory()), what);
                    long[] spikes = net.spikes(rec.memory());
                    for (int k = 0; k < p.nodes().size(); k++) {
                        if (p.nodes().get(k) instanceof SpikeProgram.Fire) {
                            assertEquals(expected.spikes()[k], spikes[k], what + ", " + p.nodes().get(k).name());
                        }
                    }
                }
                // one compiled network for every input: restore the state before the first step, present the input
                once.restore(fresh);
                reused.present(once, sample);
                Recording rec = Recording.inMemory();
                once.run(reused.stepsToRun(), rec);
                assertArrayEquals(expected.scores(), reused.scores(rec.memory()), spec + " sample " + i + ", reused");
                long[] again = reused.spikes(rec.memory());
                for (int k = 0; k < p.nodes().size(); k++) {
                    if (p.nodes().get(k) instanceof SpikeProgram.Fire) {
                        assertEquals(expected.spikes()[k], again[k], spec + " sample " + i + ", reused");
                    }
                }
                for (long s : expected.spikes()) {
                    fired += s;
                }
            }
            once.close();
            assertTrue(fired > 200, "the check needs spikes, had " + fired);
        }
    }

    @Test
    void theAutomaticModeRefusesMembraneProjectionsByName() {
        MetaSpikeFormer m = new MetaSpikeFormer(new SdtSpec(1, 8, 3, 2, SdtSpec.parseStages("4c1k3s2,8a1k3s2"), 2, 2,
                "sdsa3", false, 5));
        SpikeProgramNetwork net = SpikeProgramNetwork.of(m.export(), new float[64]);
        for (EngineMode mode : new EngineMode[] {EngineMode.AUTO}) {
            MyelinException e = assertThrows(MyelinException.class, () -> new CpuBackend().compile(net.network(),
                    SimulationConfig.defaults().withMode(mode)));
            assertTrue(e.getMessage().contains("carries membrane potentials"), e.getMessage());
        }
    }
}
