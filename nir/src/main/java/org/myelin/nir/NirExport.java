package org.myelin.nir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.MembraneParameters;
import org.myelin.core.model.NeuronModel;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;
import org.myelin.core.network.Projection;
import org.myelin.core.network.SpikeSource;

/**
 * Writes a Myelin {@link Network} as a NIR graph, the inverse of {@link NirNetwork} (so that importing the file gives
 * the same network, and the same spikes):
 * <ul>
 *   <li>a population of {@link DiscreteLifModel} neurons becomes LIF / CubaLIF (LI / CubaLI without a threshold, IF
 *   when beta is 1) in snnTorch's form for the step dt: tau = dt / (1 - beta), r = tau / dt, tau_syn = dt / (1 - alpha),
 *   w_in = tau_syn / dt, v_leak 0, v_reset 0; its metadata says {@code myelin.convention = discrete} and its reset;</li>
 *   <li>{@link LifModel} and {@link CubaLifModel} populations become LIF and CubaLIF with their own time constants (in
 *   seconds), potentials and resistance, metadata {@code myelin.convention = exact}, weights divided by what the exact
 *   convention multiplies them by;</li>
 *   <li>a spike source becomes an Input node, except the one-neuron bias sources of Myelin's exports ({@code bias<l>},
 *   {@code nir.bias*}), which become the bias of an Affine node;</li>
 *   <li>a projection becomes a Linear (or Affine, when a bias goes with it) node per delay; delays beyond the one step
 *   every synapse has become a Delay node;</li>
 *   <li>populations that project nowhere else feed Output nodes.</li>
 * </ul>
 * Refractory periods, current inputs (but the constant leak current that a discrete import makes of v_leak) and
 * models with no NIR counterpart are refused with the reason.
 */
public final class NirExport {
    /**
     * The NIR version written in the file's root "version" dataset: the release of the reference implementation
     * (neuromorphs/NIR) whose writer and reader this layout follows (docs/nir-format.md). Files of older versions
     * (0.1.x, 0.2.0) are still read.
     */
    public static final String NIR_VERSION = "1.0.7";

    private NirExport() {
    }

    /** The graph of {@code network} for the step {@code dtMs}. */
    public static NirGraph of(Network network, double dtMs) {
        double dtS = dtMs / 1000.0;
        // the only currents NIR can say: a constant leak current into all of a discrete population (what the import of
        // a non-zero v_leak makes), which goes back into v_leak
        Map<String, Double> leak = new HashMap<>();
        for (org.myelin.core.network.CurrentInput c : network.currents()) {
            boolean leakCurrent = c.name().equals(c.target() + "/v_leak") && c.neurons() == null
                    && c.changeSteps().length == 1 && c.changeSteps()[0] == 0
                    && network.node(c.target()) instanceof Population p && p.model() instanceof DiscreteLifModel;
            if (!leakCurrent) {
                throw new MyelinException("NIR export: current input '" + c.name() + "' has no NIR counterpart (NIR"
                        + " graphs are driven through their Input nodes)");
            }
            leak.put(c.target(), c.currentsNa()[0]);
        }
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<String[]> edges = new ArrayList<>();
        Map<String, double[]> weightScale = new HashMap<>();
        for (Population p : network.populations()) {
            nodes.put(p.name(), neuronNode(p, dtS, weightScale, leak.getOrDefault(p.name(), 0.0)));
        }
        List<String> biasSources = new ArrayList<>();
        for (SpikeSource s : network.sources()) {
            if (isBias(s)) {
                biasSources.add(s.name());
            } else {
                nodes.put(s.name(), ioNode(s.name(), "Input", s.size()));
            }
        }
        // biases per target population, from the bias sources' synapses
        Map<String, double[]> bias = new LinkedHashMap<>();
        for (Projection pr : network.projections()) {
            if (biasSources.contains(pr.source())) {
                double[] b = bias.computeIfAbsent(pr.target(), t -> new double[network.node(t).size()]);
                double[] k = weightScale.get(pr.target());
                SynapseExpansion.expand(network, pr, true, (i, j, w, d) -> b[j] += w / k[j]);
            }
        }
        Map<String, Boolean> projectsOut = new HashMap<>();
        for (Projection pr : network.projections()) {
            if (biasSources.contains(pr.source())) {
                continue;
            }
            if (!pr.source().equals(pr.target())) {
                projectsOut.put(pr.source(), true);
            }
            int pre = network.node(pr.source()).size();
            int post = network.node(pr.target()).size();
            double[] k = weightScale.get(pr.target());
            if (k == null) {
                throw new MyelinException("NIR export: projection " + pr.name() + " ends at '" + pr.target()
                        + "', which is not a population");
            }
            TreeMap<Integer, double[]> byDelay = new TreeMap<>();
            SynapseExpansion.expand(network, pr, true, (i, j, w, d) -> {
                if (d < 1) {
                    throw new MyelinException("NIR export: projection " + pr.name() + " has a delay of " + d
                            + " steps; NIR graphs take one step per hop");
                }
                byDelay.computeIfAbsent(d, x -> new double[post * pre])[j * pre + i] += w / k[j];
            });
            if (byDelay.isEmpty()) {
                // no synapse (all weights zero): the edge stays, with zero weights, so the structure survives
                byDelay.put(1, new double[post * pre]);
            }
            for (Map.Entry<Integer, double[]> e : byDelay.entrySet()) {
                String name = byDelay.size() == 1 ? pr.name() : pr.name() + ".delay" + e.getKey();
                double[] b = bias.remove(pr.target());
                NirNode lin = b == null
                        ? node(name, "Linear", "weight", floats(e.getValue(), post, pre))
                        : node(name, "Affine", "weight", floats(e.getValue(), post, pre), "bias", floats(b, post));
                nodes.put(name, lin);
                edges.add(new String[] {pr.source(), name});
                String last = name;
                if (e.getKey() > 1) {
                    String dn = name + ".delay";
                    double[] dl = new double[post];
                    java.util.Arrays.fill(dl, (e.getKey() - 1) * dtS);
                    nodes.put(dn, node(dn, "Delay", "delay", doubles(dl, post)));
                    edges.add(new String[] {name, dn});
                    last = dn;
                }
                edges.add(new String[] {last, pr.target()});
            }
        }
        if (!bias.isEmpty()) {
            throw new MyelinException("NIR export: population '" + bias.keySet().iterator().next() + "' has a bias but"
                    + " no incoming projection to carry it");
        }
        List<Population> outs = new ArrayList<>();
        for (Population p : network.populations()) {
            if (!projectsOut.getOrDefault(p.name(), false)) {
                outs.add(p);
            }
        }
        for (Population p : outs) {
            String name = outs.size() == 1 ? "output" : "output_" + p.name();
            nodes.put(name, ioNode(name, "Output", p.size()));
            edges.add(new String[] {p.name(), name});
        }
        return new NirGraph(nodes, edges);
    }

    /** Writes {@link #of} to {@code file}. */
    public static void write(Network network, double dtMs, java.nio.file.Path file) {
        NirWriter.write(file, NIR_VERSION, of(network, dtMs));
    }

    static boolean isBias(SpikeSource s) {
        return s.size() == 1 && (s.name().startsWith("nir.bias") || s.name().matches("bias\\d+"));
    }

    private static NirNode neuronNode(Population p, double dtS, Map<String, double[]> weightScale, double leakCurrent) {
        NeuronModel m = p.model();
        int n = p.size();
        String owner = "NIR export: population '" + p.name() + "'";
        Map<String, NirArray> meta = new LinkedHashMap<>();
        double[] k = new double[n];
        NirNode node;
        if (m instanceof DiscreteLifModel d) {
            if (d.updateEvery() != 1) {
                throw new MyelinException(owner + ": updates every " + d.updateEvery() + " steps (a multi-rate"
                        + " network); NIR graphs have one clock");
            }
            if (d.delayedReset()) {
                throw new MyelinException(owner + ": resets at the step after a spike (snnTorch's reset_delay), which"
                        + " NIR's neurons do not express (they reset in the spike's step); train the model with"
                        + " --immediate-reset (resetDelay(false)) to export it to NIR");
            }
            if (!d.plain()) {
                throw new MyelinException(owner + ": input gain " + d.inputGain() + " and subtracted amount "
                        + d.subtractMv() + " mV (threshold " + d.thresholdMv() + " mV) have no NIR form; NIR's"
                        + " discrete neurons take their input with gain 1 and subtract their threshold");
            }
            meta.put("myelin.convention", NirArray.ofText("discrete"));
            meta.put("myelin.reset", NirArray.ofText(d.resetMode() == ResetMode.SUBTRACT ? "subtract" : "zero"));
            boolean cuba = !Double.isNaN(d.alpha());
            boolean fires = d.thresholdMv() < Float.MAX_VALUE / 2;
            if (d.beta() == 1 && !cuba) {
                node = fires ? node(p.name(), "IF", "r", full(1, n), "v_threshold", full(d.thresholdMv(), n),
                        "v_reset", full(0, n))
                        : node(p.name(), "I", "r", full(1, n));
                java.util.Arrays.fill(k, 1);
            } else {
                if (d.beta() == 1 || (cuba && d.alpha() == 1)) {
                    throw new MyelinException(owner + ": a decay factor of 1 with a synaptic current has no NIR form");
                }
                double tau = dtS / (1 - d.beta());
                double r = tau / dtS;
                double vLeak = leakCurrent * tau / dtS;
                if (cuba) {
                    double tauSyn = dtS / (1 - d.alpha());
                    double wIn = tauSyn / dtS;
                    node = fires
                            ? node(p.name(), "CubaLIF", "tau_mem", full(tau, n), "tau_syn", full(tauSyn, n), "r",
                                    full(r, n), "v_leak", full(vLeak, n), "v_threshold", full(d.thresholdMv(), n),
                                    "v_reset", full(0, n), "w_in", full(wIn, n))
                            : node(p.name(), "CubaLI", "tau_mem", full(tau, n), "tau_syn", full(tauSyn, n), "r",
                                    full(r, n), "v_leak", full(vLeak, n), "w_in", full(wIn, n));
                    java.util.Arrays.fill(k, (r * dtS / tau) * (wIn * dtS / tauSyn));
                } else {
                    node = fires
                            ? node(p.name(), "LIF", "tau", full(tau, n), "r", full(r, n), "v_leak", full(vLeak, n),
                                    "v_threshold", full(d.thresholdMv(), n), "v_reset", full(0, n))
                            : node(p.name(), "LI", "tau", full(tau, n), "r", full(r, n), "v_leak", full(vLeak, n));
                    java.util.Arrays.fill(k, r * dtS / tau);
                }
            }
        } else if (m instanceof LifModel || m instanceof CubaLifModel) {
            MembraneParameters mp = m instanceof LifModel l ? l.membrane() : ((CubaLifModel) m).membrane();
            if (mp.refractoryMs() != 0) {
                throw new MyelinException(owner + ": a refractory period (" + mp.refractoryMs() + " ms) has no NIR"
                        + " counterpart");
            }
            meta.put("myelin.convention", NirArray.ofText("exact"));
            meta.put("myelin.reset", NirArray.ofText(mp.resetMode() == ResetMode.SUBTRACT ? "subtract" : "zero"));
            double tau = mp.tauMembraneMs() / 1000;
            double r = mp.resistanceMOhm();
            if (m instanceof CubaLifModel c) {
                if (c.tauSynExcMs() != c.tauSynInhMs()) {
                    throw new MyelinException(owner + ": NIR's CubaLIF has one synaptic time constant; this model has "
                            + c.tauSynExcMs() + " and " + c.tauSynInhMs() + " ms");
                }
                double tauSyn = c.tauSynExcMs() / 1000;
                node = node(p.name(), "CubaLIF", "tau_mem", full(tau, n), "tau_syn", full(tauSyn, n), "r", full(r, n),
                        "v_leak", full(mp.restingMv(), n), "v_threshold", full(mp.thresholdMv(), n), "v_reset",
                        full(mp.resetMv(), n), "w_in", full(1, n));
                java.util.Arrays.fill(k, r * dtS / tauSyn);
            } else {
                node = node(p.name(), "LIF", "tau", full(tau, n), "r", full(r, n), "v_leak", full(mp.restingMv(), n),
                        "v_threshold", full(mp.thresholdMv(), n), "v_reset", full(mp.resetMv(), n));
                java.util.Arrays.fill(k, r * dtS / tau);
            }
        } else {
            throw new MyelinException(owner + ": a " + m.kind() + " model has no NIR node");
        }
        weightScale.put(p.name(), k);
        return new NirNode(node.name(), node.type(), node.fields(), null, meta);
    }

    private static NirNode node(String name, String type, Object... fields) {
        Map<String, NirArray> f = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            f.put((String) fields[i], (NirArray) fields[i + 1]);
        }
        return new NirNode(name, type, f, null, Map.of());
    }

    private static NirNode ioNode(String name, String type, int n) {
        return node(name, type, "shape", new NirArray(new int[] {1}, new double[] {n}, "long", null));
    }

    private static NirArray full(double v, int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return new NirArray(new int[] {n}, a, "double", null);
    }

    private static NirArray doubles(double[] v, int n) {
        return new NirArray(new int[] {n}, v, "double", null);
    }

    /**
     * Weights as float32 (what training frameworks hold) when every value is one, else as float64 so that nothing is
     * rounded.
     */
    private static NirArray floats(double[] v, int... shape) {
        for (double x : v) {
            if ((float) x != x) {
                return new NirArray(shape, v.clone(), "double", null);
            }
        }
        return new NirArray(shape, v.clone(), "float", null);
    }
}
