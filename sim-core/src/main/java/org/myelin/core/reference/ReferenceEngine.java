package org.myelin.core.reference;

import java.util.List;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.Propagators;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.PoissonSource;
import org.myelin.core.network.Population;
import org.myelin.core.network.Projection;
import org.myelin.core.network.SpikeSource;
import org.myelin.core.network.SpikeTrainSource;
import org.myelin.core.random.CounterRandom;

/**
 * The reference engine. One step {@code n}, in this order:
 * <ol>
 * <li>input due in step n is added to the synaptic variables (ring-buffer slot n);</li>
 * <li>every neuron is integrated with its model's propagators (v frozen while refractory), then threshold
 * and reset;</li>
 * <li>spike sources emit their spikes of step n;</li>
 * <li>every spike of step n, in ascending global index, puts its weight into the ring-buffer slot of step
 * n + delay of each of its synapses;</li>
 * <li>monitors are told.</li>
 * </ol>
 */
final class ReferenceEngine implements CompiledNetwork {
    private final Network net;
    private final int n;
    private final Propagators[] props;
    private final int[] popOf;
    private final double[] v;
    private final double[] ge;
    private final double[] gi;
    private final int[] refractory;
    /** Neurons whose delayed reset is still to be taken off at their next update. */
    private final boolean[] pendingReset;
    private final double[] current;
    private final int[][] currentTargets;
    private final int[] rowStart;
    private final int[] post;
    private final double[] weight;
    private final int[] delay;
    private final boolean[] inhibitory;
    private final double[][] ringE;
    private final double[][] ringI;
    private final boolean[] spiked;
    /** Events beyond the first of a generator with multiplicity in this step (0 for every other row). */
    private final int[] extraEvents;
    private final int[] trainCursor;
    private long step;

    ReferenceEngine(Network network) {
        org.myelin.core.plasticity.FixedWeights.require(network, "reference engine");
        org.myelin.core.network.Transmission.requireSpikes(network, "reference engine");
        this.net = network;
        this.n = network.neuronCount();
        List<Population> pops = network.populations();
        props = new Propagators[pops.size()];
        popOf = new int[n];
        v = new double[n];
        ge = new double[n];
        gi = new double[n];
        refractory = new int[n];
        pendingReset = new boolean[n];
        current = new double[n];
        long seed = network.seed();
        for (int p = 0; p < pops.size(); p++) {
            Population pop = pops.get(p);
            props[p] = pop.model().discretize(network.dtMs());
            int off = network.offset(p);
            int sv = CounterRandom.streamOf(pop.name() + "/v0");
            int se = CounterRandom.streamOf(pop.name() + "/ge0");
            int si = CounterRandom.streamOf(pop.name() + "/gi0");
            for (int i = 0; i < pop.size(); i++) {
                popOf[off + i] = p;
                v[off + i] = pop.initialV().sample(seed, sv, i);
                ge[off + i] = pop.initialGe().sample(seed, se, i);
                gi[off + i] = pop.initialGi().sample(seed, si, i);
            }
        }
        List<CurrentInput> cur = network.currents();
        currentTargets = new int[cur.size()][];
        for (int c = 0; c < cur.size(); c++) {
            CurrentInput in = cur.get(c);
            int off = network.offset(in.target());
            int size = network.node(in.target()).size();
            int[] local = in.neurons();
            int[] t = new int[local == null ? size : local.length];
            for (int k = 0; k < t.length; k++) {
                t[k] = off + (local == null ? k : local[k]);
            }
            currentTargets[c] = t;
        }
        int rows = n + network.sourceCount();
        int[] counts = new int[rows + 1];
        int maxDelay = 1;
        for (Projection p : network.projections()) {
            int srcOff = network.offset(p.source());
            SynapseExpansion.expand(network, p, false, (a, b, w, d) -> counts[srcOff + a + 1]++);
        }
        rowStart = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            rowStart[r + 1] = rowStart[r] + counts[r + 1];
        }
        int total = rowStart[rows];
        post = new int[total];
        weight = new double[total];
        delay = new int[total];
        inhibitory = new boolean[total];
        int[] fill = rowStart.clone();
        for (Projection p : network.projections()) {
            int srcOff = network.offset(p.source());
            int tgtOff = network.offset(p.target());
            boolean inh = p.receptor() == Receptor.INHIBITORY;
            SynapseExpansion.expand(network, p, true, (a, b, w, d) -> {
                int k = fill[srcOff + a]++;
                post[k] = tgtOff + b;
                weight[k] = w;
                delay[k] = d;
                inhibitory[k] = inh;
            });
        }
        for (int d : delay) {
            maxDelay = Math.max(maxDelay, d);
        }
        ringE = new double[maxDelay + 1][n];
        ringI = new double[maxDelay + 1][n];
        spiked = new boolean[rows];
        extraEvents = new int[rows];
        trainCursor = new int[network.sources().size()];
    }

    @Override
    public Network network() {
        return net;
    }

    @Override
    public long currentStep() {
        return step;
    }

    @Override
    public double[] read(String population, String variable, int[] neurons) {
        CompiledNetwork.checkRead(net, population, variable, neurons);
        double[] src = switch (variable) {
            case "v" -> v;
            case "ge" -> ge;
            default -> gi;
        };
        int off = net.offset(population);
        double[] out = new double[neurons.length];
        for (int j = 0; j < neurons.length; j++) {
            out[j] = src[off + neurons[j]];
        }
        return out;
    }

    @Override
    public long synapseCount() {
        return post.length;
    }

    @Override
    public long synapseBytes() {
        return (long) post.length * (4 + 8 + 4 + 1) + 4L * rowStart.length;
    }

    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        CompiledNetwork.checkRange(this, fromStep, toStep);
        Recording.Bound rec = recording.bind(net, fromStep);
        int[] local = new int[Math.max(1, n + net.sourceCount())];
        StateMonitor[] sm = rec.stateMonitors();
        for (; step < toStep; step++) {
            oneStep();
            int c = 0;
            for (int i = 0; i < spiked.length; i++) {
                if (spiked[i]) {
                    local[c++] = i;
                }
            }
            rec.stepSpikes(step, local, 0, c);
            for (int k = 0; k < sm.length; k++) {
                if (rec.samples(k, step)) {
                    int off = net.offset(sm[k].population());
                    double[] values = new double[sm[k].neurons().length];
                    double[] src = switch (sm[k].variable()) {
                        case "v" -> v;
                        case "ge" -> ge;
                        default -> gi;
                    };
                    for (int j = 0; j < values.length; j++) {
                        values[j] = src[off + sm[k].neurons()[j]];
                    }
                    rec.state(k, step, values);
                }
            }
        }
        rec.stepsDone(step);
    }

    private void oneStep() {
        int slot = (int) (step % ringE.length);
        for (int i = 0; i < n; i++) {
            ge[i] += ringE[slot][i];
            gi[i] += ringI[slot][i];
            ringE[slot][i] = 0;
            ringI[slot][i] = 0;
        }
        for (int i = 0; i < n; i++) {
            current[i] = props[popOf[i]].biasCurrentNa();
        }
        for (int c = 0; c < currentTargets.length; c++) {
            double amps = net.currents().get(c).currentAt(step);
            for (int t : currentTargets[c]) {
                current[t] += amps;
            }
        }
        for (int i = 0; i < n; i++) {
            Propagators p = props[popOf[i]];
            spiked[i] = false;
            if (!p.updatesAt(step)) {
                continue; // a multi-rate population between its updates: input waits in ge/gi
            }
            boolean frozen = refractory[i] > 0;
            if (!frozen) {
                v[i] = p.restingMv() + (v[i] - p.restingMv()) * p.decayV() + ge[i] * p.excToV()
                        + gi[i] * p.inhToV() + current[i] * p.currentToV();
                if (pendingReset[i]) {
                    v[i] -= p.subtractMv();
                    pendingReset[i] = false;
                }
            }
            ge[i] *= p.decayExc();
            gi[i] *= p.decayInh();
            spiked[i] = false;
            if (frozen) {
                refractory[i]--;
            } else if (v[i] > p.thresholdMv()) {
                spiked[i] = true;
                if (p.delayedReset()) {
                    pendingReset[i] = true;
                    continue;
                }
                v[i] = p.resetMode() == ResetMode.TO_VALUE ? p.resetMv() : v[i] - p.subtractMv();
                refractory[i] = Math.max(0, p.refractorySteps() - 1);
            }
        }
        double dtS = net.dtMs() / 1000.0;
        for (int s = 0; s < net.sources().size(); s++) {
            SpikeSource src = net.sources().get(s);
            int off = net.offset(net.populations().size() + s);
            for (int i = 0; i < src.size(); i++) {
                spiked[off + i] = false;
            }
            if (src instanceof PoissonSource ps) {
                double pSpike = ps.rateHz() * dtS;
                int stream = CounterRandom.streamOf(ps.name());
                for (int i = 0; i < ps.size(); i++) {
                    if (ps.multiplicity()) {
                        int k = ps.eventsAt(net.seed(), stream, i, step, net.dtMs());
                        spiked[off + i] = k > 0;
                        extraEvents[off + i] = Math.max(0, k - 1);
                    } else {
                        spiked[off + i] = CounterRandom.uniform(net.seed(), stream, i, step) < pSpike;
                    }
                }
            } else if (src instanceof SpikeTrainSource st) {
                int k = trainCursor[s];
                while (k < st.spikeCount() && st.steps()[k] < step) {
                    k++;
                }
                while (k < st.spikeCount() && st.steps()[k] == step) {
                    spiked[off + st.neurons()[k]] = true;
                    k++;
                }
                trainCursor[s] = k;
            }
        }
        for (int src = 0; src < spiked.length; src++) {
            if (!spiked[src]) {
                continue;
            }
            for (int e = 0; e <= extraEvents[src]; e++) {
                for (int k = rowStart[src]; k < rowStart[src + 1]; k++) {
                    int s = (int) ((step + delay[k]) % ringE.length);
                    if (inhibitory[k]) {
                        ringI[s][post[k]] += weight[k];
                    } else {
                        ringE[s][post[k]] += weight[k];
                    }
                }
            }
        }
    }

    @Override
    public void close() {
    }
}
