package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;
import org.myelin.core.network.Projection;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.tensor.Tensor;

/**
 * Myelin's NIR files against the reference implementation's reader: each export is checked by
 * src/test/python/nir_reference_check.py (h5py from Debian's python3-h5py), which redoes what neuromorphs/NIR's
 * {@code nir.read} and {@code read_version} check (the dispatch on type, the constructor arguments each node class
 * takes, their shapes, the edges and the type inference), and whose summary of the file must equal what Myelin wrote.
 * Then each file is imported and must give the same network: populations and their models, every synapse's weight
 * and delay, biases.
 */
class NirReferenceLayoutTest {
    private static final Path CHECKER = Path.of("src/test/python/nir_reference_check.py");

    private static boolean h5py() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py, numpy").redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The checker's output for {@code files}, and its exit status as the last element. */
    static List<String> check(Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", CHECKER.toString()));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the checker timed out");
        List<String> lines = new ArrayList<>(out.lines().toList());
        lines.add("exit " + p.exitValue());
        return lines;
    }

    static Network feedForwardLif() {
        var m = NirExportTest.model(6, new int[] {5, 3}, false, Float.NaN, LeakyNeuron.Reset.SUBTRACT);
        return NetworkExport.export(m, Tensor.of(NirExportTest.spikes(10, 6, 3), 10, 6), 10, 1.0).network();
    }

    static Network recurrentCubaLif() {
        var m = NirExportTest.model(6, new int[] {5, 3}, true, 0.6f, LeakyNeuron.Reset.ZERO);
        return NetworkExport.export(m, Tensor.of(NirExportTest.spikes(10, 6, 4), 10, 6), 10, 1.0).network();
    }

    /** Continuous LIF and CubaLIF, a projection without bias (Linear), a recurrent one and delays over one step. */
    static Network continuous() {
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-70)
                .refractoryMs(0).resistanceMOhm(10).build();
        CubaLifModel cuba = CubaLifModel.builder().tauMembraneMs(20).restingMv(-60).thresholdMv(-50).resetMv(-60)
                .refractoryMs(0).resistanceMOhm(1).tauSynExcMs(5).tauSynInhMs(5).build();
        return Network.builder().dtMs(0.1).seed(2)
                .spikeTrain("input", 4, new int[] {0, 1, 3}, new long[] {0, 2, 5})
                .population("a", 6, lif, Distribution.constant(-65))
                .population("b", 3, cuba, Distribution.constant(-60))
                .projection(Projection.between("input", "a").connect(Connectivity.fixedProbability(0.6))
                        .weightMv(Distribution.uniform(2, 6)).delaySteps(1))
                .projection(Projection.between("a", "b").connect(Connectivity.fixedProbability(0.7))
                        .weightMv(Distribution.uniform(-1, 5)).delaySteps(Distribution.uniformInt(1, 3)))
                .projection(Projection.between("b", "b").connect(Connectivity.fixedProbability(0.5))
                        .weightMv(-2).delaySteps(2).receptor(Receptor.INHIBITORY))
                .build();
    }

    /** Discrete neurons without a threshold (LI, CubaLI) and an integrate-and-fire population (IF). */
    static Network integrators() {
        return Network.builder().dtMs(1).seed(3)
                .spikeTrain("in", 3, new int[] {0, 2}, new long[] {0, 1})
                .population("li", 4, new DiscreteLifModel(0.9, Double.NaN, Float.MAX_VALUE, ResetMode.TO_VALUE))
                .population("cli", 2, new DiscreteLifModel(0.8, 0.5, Float.MAX_VALUE, ResetMode.TO_VALUE))
                .population("if", 2, new DiscreteLifModel(1, Double.NaN, 1.5, ResetMode.TO_VALUE))
                .projection(Projection.between("in", "li").connect(Connectivity.allToAll()).weightMv(0.5))
                .projection(Projection.between("in", "if").connect(Connectivity.allToAll()).weightMv(0.25))
                .projection(Projection.between("li", "cli").connect(Connectivity.allToAll()).weightMv(0.75))
                .build();
    }

    @Test
    void everyExportReadsAsTheReferenceReadsItAndSaysWhatWasWritten(@TempDir Path dir) throws Exception {
        assumeTrue(h5py(), "python3-h5py is not installed here (.ci/run installs it)");
        Map<String, Network> nets = new LinkedHashMap<>();
        nets.put("lif", feedForwardLif());
        nets.put("cuba-recurrent", recurrentCubaLif());
        nets.put("continuous-delays", continuous());
        nets.put("integrators", integrators());
        Map<String, Double> dts = Map.of("continuous-delays", 0.1);
        List<Path> files = new ArrayList<>();
        Map<Path, NirGraph> written = new LinkedHashMap<>();
        for (var e : nets.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".nir");
            double dt = dts.getOrDefault(e.getKey(), 1.0);
            NirExport.write(e.getValue(), dt, f);
            files.add(f);
            written.put(f, NirExport.of(e.getValue(), dt));
        }
        List<String> out = check(files.toArray(Path[]::new));
        assertEquals("exit 0", out.get(out.size() - 1), String.join("\n", out));
        out = out.subList(0, out.size() - 1);
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : out) {
            if (line.startsWith("file ")) {
                current = new ArrayList<>();
                byFile.put(line.substring(5), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        TreeSet<String> typesSeen = new TreeSet<>();
        for (var e : written.entrySet()) {
            List<String> lines = byFile.get(e.getKey().toString());
            assertNotNull(lines, "the checker said nothing of " + e.getKey());
            assertEquals("ok", lines.get(lines.size() - 1), e.getKey() + ": " + lines);
            assertEquals("version " + NirExport.NIR_VERSION, lines.get(0));
            compare(e.getKey().toString(), e.getValue(), lines);
            e.getValue().nodes().values().forEach(n -> typesSeen.add(n.type()));
        }
        assertEquals(new TreeSet<>(List.of("Affine", "CubaLI", "CubaLIF", "Delay", "IF", "Input", "LI", "LIF",
                "Linear", "Output")), typesSeen, "the node types these exports cover");
    }

    @Test
    void theCheckerRefusesWhatTheReferenceReaderRefuses(@TempDir Path dir) throws Exception {
        assumeTrue(h5py(), "python3-h5py is not installed here (.ci/run installs it)");
        Path fixtures = Path.of("src/test/resources/fixtures");
        // a field the node class does not take (the reference's from_dict passes it to the constructor: TypeError)
        NirGraph g = NirExport.of(feedForwardLif(), 1.0);
        Map<String, NirNode> nodes = new LinkedHashMap<>(g.nodes());
        NirNode l0 = nodes.get("layer0");
        Map<String, NirArray> fields = new LinkedHashMap<>(l0.fields());
        fields.put("tau_mem", fields.get("tau"));
        nodes.put("layer0", new NirNode(l0.name(), l0.type(), fields, null, l0.metadata()));
        Path extra = dir.resolve("extra.nir");
        NirWriter.write(extra, NirExport.NIR_VERSION, new NirGraph(nodes, g.edges()));
        Map<Path, String> reasons = new LinkedHashMap<>();
        reasons.put(extra, "FAIL /layer0 (LIF): fields the LIF constructor does not take: ['tau_mem']");
        reasons.put(fixtures.resolve("missing-field.nir"), "FAIL /fc (Affine): missing required field 'bias'");
        reasons.put(fixtures.resolve("unknown-type.nir"), "FAIL /mystery: unknown node type 'Izhikevich'");
        reasons.put(fixtures.resolve("shape-mismatch.nir"), "FAIL : type mismatch input.output [array([3])] ->"
                + " fc.input [array([4])]");
        for (var e : reasons.entrySet()) {
            List<String> out = check(e.getKey());
            assertEquals("exit 1", out.get(out.size() - 1), out.toString());
            assertEquals(e.getValue(), out.get(out.size() - 2), e.getKey().toString());
        }
        // and the files Norse (NIR 0.1.1) and snnTorch (0.2.0) wrote pass
        List<String> norse = check(fixtures.resolve("lif.nir"));
        assertEquals(List.of("ok", "exit 0"), norse.subList(norse.size() - 2, norse.size()), norse.toString());
        assertEquals("version 0.1.1", norse.get(1));
        List<String> snntorch = check(fixtures.resolve("frameworks/snntorch_braille_subtract.nir"));
        assertEquals(List.of("ok", "exit 0"), snntorch.subList(snntorch.size() - 2, snntorch.size()),
                snntorch.toString());
        assertTrue(snntorch.contains("typed input=12 output=7"), snntorch.toString());
    }

    /** The checker's summary lines against the graph Myelin wrote: the same nodes, fields, metadata and edges. */
    static void compare(String file, NirGraph g, List<String> lines) {
        TreeSet<String> expectedExact = new TreeSet<>();
        Map<String, Double> expectedSums = new TreeMap<>();
        List<String> expectedEdges = new ArrayList<>();
        expectedExact.add("node / NIRGraph");
        for (String[] edge : g.edges()) {
            expectedEdges.add("edge / " + edge[0] + " " + edge[1]);
        }
        int inputs = 0;
        int outputs = 0;
        StringBuilder in = new StringBuilder();
        StringBuilder outTypes = new StringBuilder();
        for (NirNode n : new TreeMap<>(g.nodes()).values()) {
            String path = "/" + n.name();
            expectedExact.add("node " + path + " " + n.type());
            for (var f : n.fields().entrySet()) {
                NirArray a = f.getValue();
                String shape = String.join("x", Arrays.stream(a.shape()).mapToObj(Integer::toString).toList());
                expectedSums.put("field " + path + " " + f.getKey() + " " + numpy(a.dtype()) + " " + shape,
                        Arrays.stream(a.values()).sum());
            }
            for (var m : n.metadata().entrySet()) {
                expectedExact.add("meta " + path + " " + m.getKey() + " " + m.getValue().text());
            }
            if (n.type().equals("Input")) {
                in.append(inputs++ > 0 ? "," : "").append(n.name()).append('=').append((int) n.field("shape").scalar());
            } else if (n.type().equals("Output")) {
                outTypes.append(outputs++ > 0 ? "," : "").append(n.name()).append('=')
                        .append((int) n.field("shape").scalar());
            }
        }
        TreeSet<String> gotExact = new TreeSet<>();
        Map<String, Double> gotSums = new TreeMap<>();
        List<String> gotEdges = new ArrayList<>();
        String typed = null;
        for (String l : lines.subList(1, lines.size() - 1)) {
            if (l.startsWith("field ")) {
                int cut = l.lastIndexOf(' ');
                gotSums.put(l.substring(0, cut), Double.parseDouble(l.substring(cut + 1)));
            } else if (l.startsWith("edge ")) {
                gotEdges.add(l);
            } else if (l.startsWith("typed ")) {
                typed = l;
            } else {
                gotExact.add(l);
            }
        }
        assertEquals(expectedExact, gotExact, file + ": nodes and metadata");
        assertEquals(expectedSums.keySet(), gotSums.keySet(), file + ": fields (name, dtype, shape)");
        for (var e : expectedSums.entrySet()) {
            double want = e.getValue();
            assertEquals(want, gotSums.get(e.getKey()), 1e-9 * Math.max(1, Math.abs(want)), file + ": " + e.getKey());
        }
        assertEquals(expectedEdges, gotEdges, file + ": edges in file order");
        // the graph's input and output types after the reference's type inference: Input and Output shapes
        assertEquals("typed " + in + " " + outTypes, typed, file);
    }

    static String numpy(String dtype) {
        return switch (dtype) {
            case "float" -> "float32";
            case "double" -> "float64";
            case "int" -> "int32";
            case "long" -> "int64";
            default -> dtype;
        };
    }

    @Test
    void exportThenImportGivesTheSameNetwork(@TempDir Path dir) {
        roundTrip(feedForwardLif(), 1.0, dir);
        roundTrip(recurrentCubaLif(), 1.0, dir);
        roundTrip(continuous(), 0.1, dir);
        roundTrip(integrators(), 1.0, dir);
    }

    static void roundTrip(Network net, double dt, Path dir) {
        Path f = dir.resolve("rt.nir");
        NirExport.write(net, dt, f);
        NirFile file = NirReader.read(f);
        assertEquals(NirExport.NIR_VERSION, file.version());
        assertTrue(file.warnings().isEmpty(), file.warnings().toString());
        // the file holds what was written, value for value
        NirGraph g = NirExport.of(net, dt);
        assertEquals(new TreeMap<>(g.nodes()), new TreeMap<>(file.graph().nodes()));
        assertEquals(edges(g), edges(file.graph()));
        int inputs = file.graph().nodes().values().stream().filter(n -> n.type().equals("Input"))
                .mapToInt(n -> (int) n.field("shape").scalar()).sum();
        Network back = NirNetwork.build(file, new NirNetwork.Options(dt, null, null), new double[1][inputs])
                .network();
        for (Population p : net.populations()) {
            Population q = back.populations().stream().filter(x -> x.name().equals(p.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("population " + p.name() + " not imported"));
            assertEquals(p.size(), q.size(), p.name());
            assertModel(p, q);
        }
        assertEquals(net.populations().size(), back.populations().size(), "populations");
        assertEquals(synapses(net), synapses(back), "synapses: weight per (source, target, pre, post, delay)");
    }

    static List<String> edges(NirGraph g) {
        return g.edges().stream().map(e -> e[0] + "->" + e[1]).toList();
    }

    static void assertModel(Population p, Population q) {
        if (p.model() instanceof DiscreteLifModel a && q.model() instanceof DiscreteLifModel b) {
            assertEquals(a.beta(), b.beta(), 1e-12, p.name() + " beta");
            assertEquals(Double.isNaN(a.alpha()), Double.isNaN(b.alpha()), p.name() + " alpha");
            if (!Double.isNaN(a.alpha())) {
                assertEquals(a.alpha(), b.alpha(), 1e-12, p.name() + " alpha");
            }
            assertEquals(a.thresholdMv(), b.thresholdMv(), 1e-9 * Math.abs(a.thresholdMv()), p.name() + " threshold");
            if (a.thresholdMv() < Float.MAX_VALUE / 2) {
                assertEquals(a.resetMode(), b.resetMode(), p.name() + " reset");
            }
            assertEquals(a.updateEvery(), b.updateEvery(), p.name());
        } else {
            assertEquals(p.model(), q.model(), p.name() + " model");
        }
    }

    /**
     * Every synapse by its ends and delay, with its weight rounded to 9 significant digits (export divides by the
     * scale the import multiplies by); bias synapses named by their target, as the two sides name the source
     * differently.
     */
    static Map<String, String> synapses(Network net) {
        Map<String, Double> w = new TreeMap<>();
        for (Projection pr : net.projections()) {
            boolean bias = net.node(pr.source()) instanceof org.myelin.core.network.SpikeSource s && NirExport.isBias(s);
            // the one Input node becomes the source "input" whatever the exported source was called
            String src = bias ? "bias" : net.node(pr.source()) instanceof Population ? pr.source() : "input";
            SynapseExpansion.expand(net, pr, true, (i, j, v, d) -> {
                String key = src + ">" + pr.target() + " " + (bias ? 0 : i) + "," + j + (bias ? "" : " d" + d);
                w.merge(key, v, Double::sum);
            });
        }
        Map<String, String> out = new TreeMap<>();
        w.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, String.format(java.util.Locale.ROOT, "%.9g", v));
            }
        });
        return out;
    }
}
