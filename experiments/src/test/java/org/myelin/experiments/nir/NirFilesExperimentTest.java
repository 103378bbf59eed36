package org.myelin.experiments.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.nir.NirFile;

class NirFilesExperimentTest {
    /** The nir module's fixtures: one LIF neuron, and a recurrent subgraph with dangling edges. */
    static Path fixtures(Path dir) throws Exception {
        for (String f : new String[] {"lif.nir", "rnn_subgraph.nir"}) {
            Files.copy(Path.of("../nir/src/test/resources/fixtures", f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void everyFileIsReadWrittenRunExportedAndImportedWithTheSameSpikes(@TempDir Path dir) throws Exception {
        List<String> read = new ArrayList<>();
        List<NirFilesExperiment.Row> seen = new ArrayList<>();
        List<NirFilesExperiment.Row> rows = NirFilesExperiment.run(NirFilesConfig.defaults(fixtures(dir)),
                new NirFilesExperiment.Listener() {
                    @Override
                    public void read(String file, NirFile nir) {
                        read.add(file);
                    }

                    @Override
                    public void row(NirFilesExperiment.Row row) {
                        seen.add(row);
                    }
                });
        assertEquals(List.of("lif.nir", "rnn_subgraph.nir"), read);
        assertEquals(rows, seen);
        NirFilesExperiment.Row lif = rows.get(0);
        assertEquals(4, lif.nodes());
        assertEquals(3, lif.edges());
        assertEquals(1, lif.neurons());
        assertTrue(lif.sameGraph() && lif.exported() && lif.sameSpikes() && !lif.failed(), lif.toString());
        NirFilesExperiment.Row rnn = rows.get(1);
        assertEquals(4, rnn.danglingEdges());
        assertEquals(11, rnn.neurons());
        assertTrue(rnn.spikes() > 0 && rnn.sameSpikes(), rnn.toString());
        assertEquals(rows, NirFilesExperiment.run(NirFilesConfig.defaults(dir), row -> { }),
                "the same input spikes (seed 1), the same run");
    }

    @Test
    void aNetworkAboveTheDenseLimitIsNotExported(@TempDir Path dir) throws Exception {
        NirFilesConfig c = new NirFilesConfig(fixtures(dir), 0.1, 20, 0.2, 0);
        for (NirFilesExperiment.Row r : NirFilesExperiment.run(c, row -> { })) {
            assertFalse(r.exported() || r.failed(), r.toString());
            assertTrue(r.denseWeights() > 0);
        }
    }

    @Test
    void aFolderWithoutNirFilesIsRefused(@TempDir Path dir) {
        MyelinException e = assertThrows(MyelinException.class,
                () -> NirFilesExperiment.run(NirFilesConfig.defaults(dir), row -> { }));
        assertTrue(e.getMessage().startsWith("no .nir files under"), e.getMessage());
        MyelinException steps = assertThrows(MyelinException.class, () -> new NirFilesConfig(dir, 0.1, 0, 0.2, 10));
        assertTrue(steps.getMessage().contains("steps >= 1") && steps.getMessage().contains(", 0,"),
                steps.getMessage());
    }
}
