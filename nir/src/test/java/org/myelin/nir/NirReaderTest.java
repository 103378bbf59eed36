package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;

/** Reading the project's .nir fixtures (written by benchmarks/peers/nir_fixtures.py with h5py). */
class NirReaderTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NirReaderTest.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSingleLifGraphReadsWithItsParameters() {
        NirFile f = NirReader.read(fixture("lif.nir"));
        assertEquals("0.1.1", f.version());
        NirGraph g = f.graph();
        assertEquals(java.util.Set.of("input", "0", "1", "output"), g.nodes().keySet());
        assertEquals(3, g.edges().size());
        NirNode lif = g.nodes().get("1");
        assertEquals("LIF", lif.type());
        assertEquals(0.0025, lif.field("tau").scalar(), 1e-9);
        assertEquals(0.1, lif.field("v_threshold").scalar(), 1e-7);
        assertEquals(1, lif.inputSize());
        assertEquals(1, g.nodes().get("0").outputSize());
        assertTrue(f.warnings().isEmpty(), f.warnings().toString());
        assertTrue(!g.recurrent());
    }

    @Test
    void everyNodeTypeOfTheSpecificationReadsIncludingANestedRecurrentGraph() {
        NirFile f = NirReader.read(fixture("every-node.nir"));
        NirGraph g = f.graph();
        java.util.Set<String> types = new java.util.TreeSet<>();
        collect(g, types);
        assertEquals(new java.util.TreeSet<>(java.util.List.of("Input", "Output", "Affine", "Linear", "Scale", "Conv1d",
                "Conv2d", "Flatten", "SumPool2d", "AvgPool2d", "Threshold", "Delay", "I", "IF", "LI", "LIF", "CubaLI",
                "CubaLIF", "NIRGraph")), types);
        NirNode rnn = g.nodes().get("rnn");
        assertEquals(3, rnn.inputSize());
        assertEquals(3, rnn.outputSize());
        assertTrue(rnn.graph().recurrent() && g.recurrent(), "the nested graph's w_rec -> lif closes a cycle");
        assertEquals(4, g.nodes().get("affine").inputSize());
        assertEquals(3, g.nodes().get("affine").outputSize());
        assertEquals(java.util.List.of(2, 1, 3, 3), java.util.Arrays.stream(g.nodes().get("conv2d").field("weight")
                .shape()).boxed().toList());
        String info = NirInfo.describe(f);
        assertTrue(info.contains("every-node.nir: NIR 1.0.0, 24 nodes, 21 edges, recurrent"), info);
        assertTrue(info.contains("CubaLIF") && info.contains("w_rec -> lif") && info.contains("tau_mem float32[3] all 0.02"),
                info);
    }

    private static void collect(NirGraph g, java.util.Set<String> types) {
        for (NirNode n : g.nodes().values()) {
            types.add(n.type());
            if (n.graph() != null) {
                collect(n.graph(), types);
            }
        }
    }

    @Test
    void badFilesAreRefusedNamingTheNodeAndTheField() throws Exception {
        MyelinException missing = assertThrows(MyelinException.class, () -> NirReader.read(fixture("missing-field.nir")));
        assertTrue(missing.getMessage().contains("NIR node 'fc' (Affine): field 'bias' is missing"), missing.getMessage());
        MyelinException unknown = assertThrows(MyelinException.class, () -> NirReader.read(fixture("unknown-type.nir")));
        assertTrue(unknown.getMessage().contains("NIR node 'mystery': unknown node type 'Izhikevich'"),
                unknown.getMessage());
        MyelinException shape = assertThrows(MyelinException.class, () -> NirReader.read(fixture("shape-mismatch.nir")));
        assertTrue(shape.getMessage().contains("edge input -> fc") && shape.getMessage().contains("gives 3 values")
                && shape.getMessage().contains("takes 4 (field 'weight', 2x4)"), shape.getMessage());
        Path text = dir.resolve("not.nir");
        Files.writeString(text, "not HDF5 at all");
        MyelinException notHdf = assertThrows(MyelinException.class, () -> NirReader.read(text));
        assertTrue(notHdf.getMessage().contains("not a readable HDF5"), notHdf.getMessage());
    }

    @Test
    void everyFixtureWrittenBackReadsAsTheSameGraph() {
        for (String name : new String[] {"lif.nir", "every-node.nir"}) {
            NirFile f = NirReader.read(fixture(name));
            Path out = dir.resolve("copy-" + name);
            NirWriter.write(out, f.version(), f.graph());
            NirFile back = NirReader.read(out);
            assertEquals(f.version(), back.version(), name + ": version");
            assertSameGraph(f.graph(), back.graph(), name);
            assertEquals(NirInfo.describe(f).replace("copy-", ""), NirInfo.describe(back).replace("copy-", ""));
        }
    }

    private static void assertSameGraph(NirGraph a, NirGraph b, String where) {
        assertEquals(a.nodes().keySet(), b.nodes().keySet(), where + ": nodes");
        assertEquals(a.edges().size(), b.edges().size(), where + ": edges");
        for (int k = 0; k < a.edges().size(); k++) {
            assertEquals(java.util.List.of(a.edges().get(k)), java.util.List.of(b.edges().get(k)), where + ": edge " + k);
        }
        for (String n : a.nodes().keySet()) {
            NirNode x = a.nodes().get(n);
            NirNode y = b.nodes().get(n);
            assertEquals(x.type(), y.type(), where + "/" + n);
            assertEquals(x.fields(), y.fields(), where + "/" + n + ": fields");
            if (x.graph() != null) {
                assertSameGraph(x.graph(), y.graph(), where + "/" + n);
            }
        }
    }
}
