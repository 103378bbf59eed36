package org.myelin.backend.cpu;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.InitialState;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CheckpointFrame;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;

/**
 * The event-driven grid engine ({@link org.myelin.core.backend.EngineMode#EVENT_GRID}). Same step semantics as
 * the clock engine ({@link org.myelin.core.model.Propagators}), but a neuron is visited only in a step where
 * something happens to it:
 * <ul>
 * <li>input arrives (a spike through a synapse, or its external current changes): the neuron is first advanced
 * analytically from the last step it was visited to the step before, then integrates this step as the clock
 * does;</li>
 * <li>it is predicted to cross threshold. After every visit the engine asks whether the trajectory without
 * further input (a sum of exponentials plus a constant) exceeds threshold at a later grid step. An upper bound
 * (each term at its maximum) rules it out for almost every visit; otherwise the steps are scanned, each computed
 * by exactly the arithmetic the wake-up will do, and the first step above threshold is scheduled. A scan stops
 * after {@link #SCAN} steps and schedules a re-check there.</li>
 * </ul>
 * A delta-synapse LIF neuron can only cross at an input; a CuBa-LIF neuron keeps rising after one, and is woken
 * at the step its membrane crosses.
 *
 * <p>Arithmetic: state is stored in float32 (as in the clock engine), each visit computes in double from the
 * stored values; k steps without input are one analytic step with tabulated propagators
 * (u_k = dv^k u + P_k ge + Q_k gi + C_k I, where P, Q and C follow the one-step recursion exactly), so results
 * differ from the clock mode only by rounding. Single thread. Populations can also be marked clock-driven (the
 * automatic mode does so for busy ones): their neurons are visited at every step and never predicted.
 *
 * <p>Per-neuron state is one record of {@link #STRIDE} ints (floats stored as their bits), so delivering input
 * and the visit that follows touch the same one or two cache lines: u (v - rest), ge, gi, this step's excitatory
 * and inhibitory input, last step visited, last frozen (refractory) step, scheduled wake-up step. Neurons to visit
 * are marked in a bitset and visited in ascending order, so spikes come out sorted.
 */
final class EventGridEngine implements CompiledNetwork {
    static final int U = 0;
    static final int GE = 1;
    static final int GI = 2;
    /** Excitatory and inhibitory input of the current step, summed before it is added (as the reference does). */
    static final int INE = 3;
    static final int INI = 4;
    static final int LAST = 5;
    static final int FROZEN = 6;
    static final int WAKE = 7;
    static final int STRIDE = 8;
    /** No wake-up scheduled. */
    static final int NONE = Integer.MIN_VALUE;
    /** Gaps up to this many steps use one table lookup; longer ones are chained. */
    static final int TABLE = 4096;
    /** A threshold prediction scans at most this many steps ahead, then schedules a re-check. */
    static final int SCAN = 2048;
    private static final int WAKE_SLOTS = 4096;
    /** Steps are kept as ints: a run ends before this step. */
    static final long MAX_STEP = Integer.MAX_VALUE - SCAN - 4L;

    private final Network net;
    private final int neurons;
    private final int[] st;
    private final Pop[] pops;
    private final int[] popStart;
    private final ProjectionSynapses[][] outgoing;
    private final ProjectionSynapses[] projections;
    private final int[] nodeEnd;
    /** Delayed input: per slot (step mod slots) target (negative - 1 for inhibitory) and weight. */
    private final int delaySlots;
    private final int[][] delayedTarget;
    private final float[][] delayedWeight;
    private final int[] delayedCount;
    private final int[][] wakeList = new int[WAKE_SLOTS][];
    private final int[] wakeCount = new int[WAKE_SLOTS];
    /** Neurons to visit in this step, one bit each, visited in ascending order. */
    private final long[] marked;
    /** One bit per word of {@link #marked} that is not zero: the scan skips silent stretches 4096 neurons at a time. */
    private final long[] summary;
    /** External current of each neuron (bias plus current inputs), or null when there is none. */
    private final float[] current;
    /** Spikes of the last step: neurons (ascending), then generators (ascending). */
    private int[] spikes;
    private int spikeCount;
    private final SourceGenerator generators;
    private final CurrentSchedule currentChanges;
    private final boolean hasCurrentInputs;
    private final float[] currentScratch;
    private long step;
    private boolean closed;

    /** Per-population propagators and their k-step tables. */
    static final class Pop {
        final int from;
        final int to;
        final double resting;
        final double dv;
        final double pe;
        final double pi;
        final double de;
        final double di;
        final double pc;
        final float vt;
        final float reset;
        final float subtract;
        final boolean bySubtraction;
        final int refractorySteps;
        final double bias;
        /** Per gap k, at 8 k: dv^k, P_k, Q_k, C_k, de^k, di^k (two slots unused). */
        final double[] packed = new double[(TABLE + 1) * 8];
        final double[] dvPow = new double[TABLE + 1];
        final double[] dePow = new double[TABLE + 1];
        final double[] diPow = new double[TABLE + 1];
        final double pMax;
        final double qMax;
        final double cMax;

        Pop(int from, int to, org.myelin.core.model.Propagators pr) {
            this.from = from;
            this.to = to;
            resting = pr.restingMv();
            dv = pr.decayV();
            pe = pr.excToV();
            pi = pr.inhToV();
            de = pr.decayExc();
            di = pr.decayInh();
            pc = pr.currentToV();
            vt = (float) (pr.thresholdMv() - resting);
            reset = (float) (pr.resetMv() - resting);
            subtract = (float) pr.subtractMv();
            bySubtraction = pr.resetMode() == org.myelin.core.model.ResetMode.SUBTRACT;
            refractorySteps = pr.refractorySteps();
            bias = pr.biasCurrentNa();
            // the k-step propagators by the one-step recursion itself: u_{k+1} = dv u_k + pe ge de^k + ...
            double[] pk = new double[TABLE + 1];
            double[] qk = new double[TABLE + 1];
            double[] ck = new double[TABLE + 1];
            dvPow[0] = 1;
            dePow[0] = 1;
            diPow[0] = 1;
            double pm = 0;
            double qm = 0;
            double cm = 0;
            for (int k = 0; k < TABLE; k++) {
                dvPow[k + 1] = dvPow[k] * dv;
                dePow[k + 1] = dePow[k] * de;
                diPow[k + 1] = diPow[k] * di;
                pk[k + 1] = dv * pk[k] + pe * dePow[k];
                qk[k + 1] = dv * qk[k] + pi * diPow[k];
                ck[k + 1] = dv * ck[k] + pc;
                pm = Math.max(pm, pk[k + 1]);
                qm = Math.max(qm, qk[k + 1]);
                cm = Math.max(cm, ck[k + 1]);
            }
            pMax = pm;
            // the same tables interleaved, one cache line per gap: what a visit reads
            for (int k = 0; k <= TABLE; k++) {
                int b = k * 8;
                packed[b] = dvPow[k];
                packed[b + 1] = pk[k];
                packed[b + 2] = qk[k];
                packed[b + 3] = ck[k];
                packed[b + 4] = dePow[k];
                packed[b + 5] = diPow[k];
            }
            qMax = qm;
            // beyond the table C keeps growing towards pc / (1 - dv)
            cMax = dv < 1 ? Math.max(cm, pc / (1 - dv)) : Double.POSITIVE_INFINITY;
        }
    }

    /** A neuron's state in double while it is being advanced. */
    private static final class Cursor {
        double u;
        double g;
        double h;
        double c;
        int last;
        int frozen;

        void load(int[] st, int b, float current) {
            u = Float.intBitsToFloat(st[b + U]);
            g = Float.intBitsToFloat(st[b + GE]);
            h = Float.intBitsToFloat(st[b + GI]);
            c = current;
            last = st[b + LAST];
            frozen = st[b + FROZEN];
        }

        /** As storing and loading again would: every variable rounded to float. */
        void round() {
            u = (float) u;
            g = (float) g;
            h = (float) h;
        }

        void store(int[] st, int b) {
            st[b + U] = Float.floatToRawIntBits((float) u);
            st[b + GE] = Float.floatToRawIntBits((float) g);
            st[b + GI] = Float.floatToRawIntBits((float) h);
            st[b + LAST] = last;
        }

        /** Advances without input and without threshold from the end of step {@code last} to the end of m. */
        void advanceTo(Pop q, int m) {
            if (m <= last) {
                return;
            }
            if (last < frozen) {
                int k = Math.min(frozen, m) - last;
                while (k > TABLE) {
                    g *= q.dePow[TABLE];
                    h *= q.diPow[TABLE];
                    k -= TABLE;
                }
                g *= q.dePow[k];
                h *= q.diPow[k];
                last = Math.min(frozen, m);
            }
            int k = m - last;
            while (k > TABLE) {
                chunk(q, TABLE);
                k -= TABLE;
            }
            if (k > 0) {
                chunk(q, k);
            }
            last = m;
        }

        private void chunk(Pop q, int k) {
            double[] t = q.packed;
            int b = k << 3;
            u = t[b] * u + t[b + 1] * g + t[b + 2] * h + t[b + 3] * c;
            g *= t[b + 4];
            h *= t[b + 5];
        }

        /**
         * Step {@code n} (this state is at the end of n - 1, input already added): integrate unless frozen,
         * decay the synaptic variables; returns true when the neuron spikes (and resets it).
         */
        boolean step(Pop q, int n) {
            boolean frozenNow = n <= frozen;
            if (!frozenNow) {
                u = u * q.dv + g * q.pe + h * q.pi + c * q.pc;
            }
            g *= q.de;
            h *= q.di;
            last = n;
            float uf = (float) u;
            if (frozenNow || !(uf > q.vt)) {
                return false;
            }
            u = q.bySubtraction ? uf - q.subtract : q.reset;
            if (q.refractorySteps > 1) {
                frozen = n + q.refractorySteps - 1;
            }
            return true;
        }

        /** An upper bound of u at every later step without input (each term at its largest). */
        double bound(Pop q) {
            return Math.max(u, 0) + Math.max(g, 0) * q.pMax + Math.max(h, 0) * q.qMax + Math.max(c, 0) * q.cMax;
        }
    }

    private final Cursor cur = new Cursor();
    /** Populations visited at every step. */
    private final boolean[] clockPopulation;
    private final Cursor probe = new Cursor();

    EventGridEngine(Network network) {
        this(network, new boolean[network.populations().size()]);
    }

    /**
     * @param clockPopulations per population: true to visit every neuron at every step (no predictions), as the
     *                         automatic mode does for busy populations; false for event-driven visits
     */
    EventGridEngine(Network network, boolean[] clockPopulations) {
        this(network, clockPopulations, null);
    }

    /**
     * @param shared the synapses another engine built for this network (any thread split: only rows are used),
     *               or null to build them
     */
    EventGridEngine(Network network, boolean[] clockPopulations, ProjectionSynapses[] shared) {
        this.net = network;
        this.clockPopulation = clockPopulations.clone();
        this.neurons = network.neuronCount();
        if ((long) neurons * STRIDE > Integer.MAX_VALUE - 8) {
            throw new MyelinException("event-grid engine: at most " + (Integer.MAX_VALUE - 8) / STRIDE
                    + " neurons, the network has " + neurons);
        }
        st = new int[neurons * STRIDE];
        int np = network.populations().size();
        pops = new Pop[np];
        popStart = new int[np + 1];
        String multiRate = multiRatePopulation(network);
        if (multiRate != null) {
            throw new MyelinException("event-grid engine: population '" + multiRate + "' updates only every few steps"
                    + " (a multi-rate network), which this engine does not hold; run it in mode CLOCK");
        }
        for (int p = 0; p < np; p++) {
            int off = network.offset(p);
            pops[p] = new Pop(off, off + network.populations().get(p).size(),
                    network.populations().get(p).model().discretize(network.dtMs()));
            popStart[p] = off;
        }
        popStart[np] = neurons;
        float[] u = new float[neurons];
        float[] ge = new float[neurons];
        float[] gi = new float[neurons];
        InitialState.fill(network, u, ge, gi);
        boolean anyCurrent = !network.currents().isEmpty();
        for (Pop q : pops) {
            anyCurrent |= q.bias != 0;
        }
        current = anyCurrent ? new float[neurons] : null;
        if (current != null) {
            InitialState.currents(network, 0, current);
        }
        for (int i = 0; i < neurons; i++) {
            int b = i * STRIDE;
            st[b + U] = Float.floatToRawIntBits(u[i]);
            st[b + GE] = Float.floatToRawIntBits(ge[i]);
            st[b + GI] = Float.floatToRawIntBits(gi[i]);
            st[b + LAST] = -1;
            st[b + FROZEN] = -1;
            st[b + WAKE] = NONE;
        }
        // the currents of step 0 are set here; the schedule's changes from step 1 on are visits
        currentChanges = CurrentSchedule.of(network);
        hasCurrentInputs = !network.currents().isEmpty();
        currentScratch = hasCurrentInputs ? new float[neurons] : null;
        int[] whole = {0, neurons};
        projections = shared != null ? shared : new ProjectionSynapses[network.projections().size()];
        int maxDelay = 1;
        for (int k = 0; k < projections.length; k++) {
            if (shared == null) {
                projections[k] = new ProjectionSynapses(network, network.projections().get(k), whole, false);
            }
            maxDelay = Math.max(maxDelay, projections[k].maxDelay);
        }
        int nodes = network.nodes().size();
        outgoing = new ProjectionSynapses[nodes][];
        nodeEnd = new int[nodes];
        for (int node = 0; node < nodes; node++) {
            final int nd = node;
            outgoing[node] = Arrays.stream(projections).filter(q -> q.sourceNode == nd)
                    .toArray(ProjectionSynapses[]::new);
            nodeEnd[node] = network.offset(node) + network.nodes().get(node).size();
        }
        delaySlots = maxDelay + 1;
        delayedTarget = new int[delaySlots][];
        delayedWeight = new float[delaySlots][];
        delayedCount = new int[delaySlots];
        for (int s = 0; s < delaySlots; s++) {
            delayedTarget[s] = new int[16];
            delayedWeight[s] = new float[16];
        }
        for (int s = 0; s < WAKE_SLOTS; s++) {
            wakeList[s] = new int[8];
        }
        marked = new long[(neurons + 63) >>> 6];
        summary = new long[(marked.length + 63) >>> 6];
        spikes = new int[Math.max(1, neurons + network.sourceCount())];
        generators = new SourceGenerator(network);
        // the initial state may already be headed for threshold (initial v, bias current): predict from step -1
        predictAll(-1);
    }

    private void predictAll(int n) {
        for (int p = 0; p < pops.length; p++) {
            if (clockPopulation[p]) {
                continue;
            }
            for (int i = pops[p].from; i < pops[p].to; i++) {
                predict(i, pops[p], n);
            }
        }
    }

    /**
     * Takes over a state from another engine (the clock engine, at the automatic mode's switch): everything is
     * replaced, and every event-driven neuron gets a new prediction.
     */
    void importState(BoundaryState b) {
        if (b.step() > MAX_STEP) {
            throw new MyelinException("event-grid engine: step " + b.step() + " is beyond its range");
        }
        int last = (int) b.step() - 1;
        for (int i = 0; i < neurons; i++) {
            int r = i * STRIDE;
            st[r + U] = Float.floatToRawIntBits(b.u()[i]);
            st[r + GE] = Float.floatToRawIntBits(b.ge()[i]);
            st[r + GI] = Float.floatToRawIntBits(b.gi()[i]);
            st[r + INE] = 0;
            st[r + INI] = 0;
            st[r + LAST] = last;
            st[r + FROZEN] = b.frozenUntil()[i];
            st[r + WAKE] = NONE;
        }
        if (current != null) {
            if (b.current() != null) {
                System.arraycopy(b.current(), 0, current, 0, neurons);
            } else {
                Arrays.fill(current, 0f);
            }
        }
        Arrays.fill(delayedCount, 0);
        for (long[] d : b.delayed()) {
            enqueue((int) (d[0] % delaySlots), (int) d[1], Float.intBitsToFloat((int) d[2]));
        }
        System.arraycopy(b.lastSpikes(), 0, spikes, 0, b.lastSpikes().length);
        spikeCount = b.lastSpikes().length;
        step = b.step();
        Arrays.fill(wakeCount, 0);
        generators.rewind();
        predictAll(last);
    }

    @Override
    public Network network() {
        return net;
    }

    @Override
    public long currentStep() {
        return step;
    }

    /** The state after the last step: each neuron advanced to it on a copy, as a state monitor reads it. */
    @Override
    public double[] read(String population, String variable, int[] neurons) {
        int node = CompiledNetwork.checkRead(net, population, variable, neurons);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Pop q = pops[node];
        double[] out = new double[neurons.length];
        for (int j = 0; j < neurons.length; j++) {
            Cursor p = probe;
            int g = q.from + neurons[j];
            p.load(st, g * STRIDE, current == null ? 0f : current[g]);
            if (step > 0) {
                p.advanceTo(q, (int) step - 1);
                p.round();
            }
            out[j] = switch (variable) {
                case "v" -> p.u + q.resting;
                case "ge" -> p.g;
                default -> p.h;
            };
        }
        return out;
    }

    @Override
    public long synapseCount() {
        return ProjectionSynapses.synapses(projections);
    }

    @Override
    public long synapseBytes() {
        return ProjectionSynapses.bytes(projections);
    }

    @Override
    public String device() {
        StringBuilder b = new StringBuilder("cpu, 1 thread, event-driven (grid)");
        boolean any = false;
        for (boolean c : clockPopulation) {
            any |= c;
        }
        if (any) {
            b.append("; clock-driven populations:");
            for (int p = 0; p < pops.length; p++) {
                if (clockPopulation[p]) {
                    b.append(' ').append(net.populations().get(p).name());
                }
            }
        }
        return b.toString();
    }

    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        CompiledNetwork.checkRange(this, fromStep, toStep);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        if (toStep > MAX_STEP) {
            throw new MyelinException("event-grid engine: runs end before step " + MAX_STEP + ", asked for " + toStep);
        }
        Recording.Bound rec = recording.bind(net, fromStep);
        StateMonitor[] sm = rec.stateMonitors();
        double[][] values = new double[sm.length][];
        for (int k = 0; k < sm.length; k++) {
            values[k] = new double[sm[k].neurons().length];
        }
        int changeCursor = currentChanges.cursorAt(Math.max(1, fromStep));
        for (long s = fromStep; s < toStep; s++) {
            int n = (int) s;
            deliverLastStep(n);
            drainDelayed(n);
            drainWakeUps(n);
            for (int p = 0; p < pops.length; p++) {
                if (clockPopulation[p]) {
                    for (int i = pops[p].from; i < pops[p].to; i++) {
                        visit(i);
                    }
                }
            }
            if (currentChanges.changesAt(changeCursor, n)) {
                changeCurrents(n);
                changeCursor++;
            }
            integrateVisited(n);
            generateSources(n);
            report(rec, n, sm, values);
            step = s + 1;
        }
        rec.stepsDone(toStep);
    }

    /** Marks neuron i for a visit in this step. */
    private void visit(int i) {
        int w = i >>> 6;
        marked[w] |= 1L << i;
        summary[w >>> 6] |= 1L << w;
    }

    private void addInput(int i, float w, boolean inhibitory) {
        visit(i);
        int k = i * STRIDE + (inhibitory ? INI : INE);
        st[k] = Float.floatToRawIntBits(Float.intBitsToFloat(st[k]) + w);
    }

    private int popOf(int i) {
        int p = 0;
        int hi = pops.length - 1;
        while (p < hi) {
            int mid = (p + hi + 1) >>> 1;
            if (popStart[mid] <= i) {
                p = mid;
            } else {
                hi = mid - 1;
            }
        }
        return p;
    }

    /** Spikes of step n - 1, in ascending global index: delay 1 into this step, longer delays into their slot. */
    private void deliverLastStep(int n) {
        int node = 0;
        for (int s = 0; s < spikeCount; s++) {
            int g = spikes[s];
            while (g >= nodeEnd[node]) {
                node++;
            }
            for (ProjectionSynapses q : outgoing[node]) {
                int from = q.rowStart[g - q.sourceOffset];
                int to = q.rowStart[g - q.sourceOffset + 1];
                boolean inh = q.inhibitory;
                if (q.delaySteps == 1) {
                    for (int k = from; k < to; k++) {
                        addInput(q.target[k], q.weight == null ? q.weightMv : q.weight[k], inh);
                    }
                } else {
                    for (int k = from; k < to; k++) {
                        int d = q.delaySteps > 0 ? q.delaySteps : q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
                        float w = q.weight == null ? q.weightMv : q.weight[k];
                        if (d == 1) {
                            addInput(q.target[k], w, inh);
                        } else {
                            enqueue((n - 1 + d) % delaySlots, inh ? -q.target[k] - 1 : q.target[k], w);
                        }
                    }
                }
            }
        }
    }

    private void enqueue(int slot, int target, float w) {
        int c = delayedCount[slot];
        if (c == delayedTarget[slot].length) {
            delayedTarget[slot] = Arrays.copyOf(delayedTarget[slot], c * 2);
            delayedWeight[slot] = Arrays.copyOf(delayedWeight[slot], c * 2);
        }
        delayedTarget[slot][c] = target;
        delayedWeight[slot][c] = w;
        delayedCount[slot] = c + 1;
    }

    private void drainDelayed(int n) {
        int slot = n % delaySlots;
        int c = delayedCount[slot];
        int[] t = delayedTarget[slot];
        float[] w = delayedWeight[slot];
        for (int k = 0; k < c; k++) {
            int x = t[k];
            boolean inh = x < 0;
            int i = inh ? -x - 1 : x;
            addInput(i, w[k], inh);
        }
        delayedCount[slot] = 0;
    }

    private void schedule(int i, int m) {
        int k = i * STRIDE + WAKE;
        if (m == NONE) {
            if (st[k] != NONE) {
                st[k] = NONE;
            }
            return;
        }
        st[k] = m;
        int slot = m & (WAKE_SLOTS - 1);
        int c = wakeCount[slot];
        if (c == wakeList[slot].length) {
            wakeList[slot] = Arrays.copyOf(wakeList[slot], c * 2);
        }
        wakeList[slot][c] = i;
        wakeCount[slot] = c + 1;
    }

    private void drainWakeUps(int n) {
        int slot = n & (WAKE_SLOTS - 1);
        int c = wakeCount[slot];
        int[] l = wakeList[slot];
        for (int k = 0; k < c; k++) {
            int i = l[k];
            if (st[i * STRIDE + WAKE] == n) {
                visit(i);
            }
        }
        wakeCount[slot] = 0;
    }

    /** A change of external current at step n: every neuron fed by a current input is visited with its new value. */
    private void changeCurrents(int n) {
        for (CurrentInput in : net.currents()) {
            int off = net.offset(in.target());
            int size = net.node(in.target()).size();
            int count = in.neurons() == null ? size : in.neurons().length;
            for (int k = 0; k < count; k++) {
                visit(off + (in.neurons() == null ? k : in.neurons()[k]));
            }
        }
        currentStep = n;
    }

    /** Keeps {@link #prefetch}'s loads alive. */
    private int prefetchSink;

    /**
     * Touches the records of this step's neurons in a tight loop before they are visited: a record straddles two
     * cache lines every other neuron, and the visit loop is too long for the processor to overlap its misses,
     * while this loop's independent loads are fetched several at a time.
     */
    private void prefetch() {
        int acc = 0;
        int[] s = st;
        for (int sw = 0; sw < summary.length; sw++) {
            long words = summary[sw];
            while (words != 0) {
                int w = (sw << 6) + Long.numberOfTrailingZeros(words);
                words &= words - 1;
                long bits = marked[w];
                while (bits != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    acc += s[i * STRIDE + WAKE] + s[i * STRIDE];
                }
            }
        }
        prefetchSink += acc;
    }

    /** The step whose new currents the visits of this step take (-1: none changed). */
    private int currentStep = -1;

    /**
     * Step n of every marked neuron, in ascending order: advanced analytically to the end of n - 1 (with its old
     * current), input added, one step; then a new prediction. The spikes replace the last step's.
     */
    private void integrateVisited(int n) {
        int c = 0;
        Cursor x = cur;
        boolean newCurrents = currentStep == n;
        if (newCurrents) {
            InitialState.currents(net, n, currentScratch);
        }
        prefetch();
        int p = 0;
        for (int sw = 0; sw < summary.length; sw++) {
            long words = summary[sw];
            summary[sw] = 0;
            while (words != 0) {
                int w = (sw << 6) + Long.numberOfTrailingZeros(words);
                words &= words - 1;
                long bits = marked[w];
                marked[w] = 0;
                do {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    while (popStart[p + 1] <= i) {
                        p++;
                    }
                    Pop q = pops[p];
                    int b = i * STRIDE;
                    x.load(st, b, current == null ? 0f : current[i]);
                    if (x.last < n - 1) {
                        x.advanceTo(q, n - 1);
                        x.round();
                    }
                    if (newCurrents) {
                        x.c = currentScratch[i];
                        current[i] = currentScratch[i];
                    }
                    x.g = (float) (x.g + Float.intBitsToFloat(st[b + INE]));
                    x.h = (float) (x.h + Float.intBitsToFloat(st[b + INI]));
                    st[b + INE] = 0;
                    st[b + INI] = 0;
                    boolean spiked = x.step(q, n);
                    x.store(st, b);
                    st[b + FROZEN] = x.frozen;
                    if (spiked) {
                        spikes[c++] = i;
                    }
                    if (!clockPopulation[p]) {
                        predict(i, q, n);
                    }
                } while (bits != 0);
            }
        }
        spikeCount = c;
    }

    /**
     * Schedules neuron i (state at the end of step n) for the first later step at which, without further input,
     * it crosses threshold, computed by the arithmetic of that wake-up (advance to the step before, round to
     * float as storing does, one step). Nothing when the bound rules a crossing out.
     *
     * <p>The search is branch and bound over the next {@link #SCAN} steps: without input the membrane is
     * E + a dv^k + b de^k + c di^k, each term monotonic in k, so the largest value over steps [k1, k2] is at most
     * E plus each term's larger end value; intervals whose bound stays below threshold are skipped, and short
     * ones are scanned with the wake-up's own arithmetic. Cost: a few dozen bound evaluations per prediction
     * instead of one step per step ahead.
     */
    private void predict(int i, Pop q, int n) {
        int b = i * STRIDE;
        Cursor p = probe;
        p.load(st, b, current == null ? 0f : current[i]);
        predictCurrent = (float) p.c;
        if (!(p.bound(q) > q.vt)) {
            schedule(i, NONE);
            return;
        }
        int base = Math.max(n, p.frozen);
        int span = n + SCAN - base;
        if (span <= 0) {
            schedule(i, n + SCAN);
            return;
        }
        p.advanceTo(q, base);
        p.round();
        boolean closedForm = terms(q, p);
        predictBase = base;
        predictRecord = b;
        predictPop = q;
        int k = closedForm ? firstCrossing(1, span) : scanCrossing(1, span);
        if (k > 0) {
            schedule(i, base + k);
        } else if (closedForm && !(tailBound(q, span) > q.vt - margin)) {
            schedule(i, NONE);
        } else {
            schedule(i, base + span);
        }
    }

    /** The membrane without input after k steps from the prediction's base: tE + tV dv^k + tG de^k + tH di^k. */
    private double tE;
    private double tV;
    private double tG;
    private double tH;
    private double margin;
    private int predictBase;
    private int predictRecord;
    private float predictCurrent;
    private Pop predictPop;

    /** Splits the state into the closed form's terms; false where it has none (equal time constants). */
    private boolean terms(Pop q, Cursor p) {
        double sepE = q.dv - q.de;
        double sepI = q.dv - q.di;
        if (Math.abs(sepE) < 1e-9 || Math.abs(sepI) < 1e-9 || !(q.dv < 1)) {
            return false;
        }
        tE = p.c * q.pc / (1 - q.dv);
        tG = -p.g * q.pe / sepE;
        tH = -p.h * q.pi / sepI;
        tV = p.u - tE - tG - tH;
        // the closed form and the tabulated recursion differ by rounding: prune only with room to spare
        margin = 1e-9 + 1e-7 * (Math.abs(tE) + Math.abs(tV) + Math.abs(tG) + Math.abs(tH));
        return true;
    }

    private double term(double a, double[] pow, int k) {
        return a * pow[k];
    }

    private double intervalBound(Pop q, int k1, int k2) {
        return tE + Math.max(term(tV, q.dvPow, k1), term(tV, q.dvPow, k2))
                + Math.max(term(tG, q.dePow, k1), term(tG, q.dePow, k2))
                + Math.max(term(tH, q.diPow, k1), term(tH, q.diPow, k2));
    }

    /** Bound for every step after the k-th (the terms tend to 0). */
    private double tailBound(Pop q, int k) {
        return tE + Math.max(term(tV, q.dvPow, k), 0) + Math.max(term(tG, q.dePow, k), 0)
                + Math.max(term(tH, q.diPow, k), 0);
    }

    private int firstCrossing(int k1, int k2) {
        Pop q = predictPop;
        if (!(intervalBound(q, k1, k2) > q.vt - margin)) {
            return -1;
        }
        if (k2 - k1 < 8) {
            return scanCrossing(k1, k2);
        }
        int mid = (k1 + k2) >>> 1;
        int r = firstCrossing(k1, mid);
        return r > 0 ? r : firstCrossing(mid + 1, k2);
    }

    /** Steps base + k1 .. base + k2 with the wake-up's arithmetic; the first that spikes, or -1. */
    private int scanCrossing(int k1, int k2) {
        Cursor p = probe;
        Pop q = predictPop;
        for (int k = k1; k <= k2; k++) {
            int m = predictBase + k;
            p.load(st, predictRecord, predictCurrent);
            p.advanceTo(q, m - 1);
            p.round();
            if (!(p.bound(q) > q.vt)) {
                return -1;
            }
            if (p.step(q, m)) {
                return k;
            }
        }
        return -1;
    }

    private void generateSources(int n) {
        spikeCount = generators.spikes(n, spikes, spikeCount);
    }

    private void report(Recording.Bound rec, int n, StateMonitor[] sm, double[][] values) {
        rec.stepSpikes(n, spikes, 0, spikeCount);
        for (int k = 0; k < sm.length; k++) {
            if (!rec.samples(k, n)) {
                continue;
            }
            Pop q = pops[rec.statePopulation(k)];
            int[] idx = sm[k].neurons();
            for (int j = 0; j < idx.length; j++) {
                Cursor p = probe;
                int g = q.from + idx[j];
                p.load(st, g * STRIDE, current == null ? 0f : current[g]);
                p.advanceTo(q, n);
                p.round();
                values[k][j] = switch (sm[k].variable()) {
                    case "v" -> p.u + q.resting;
                    case "ge" -> p.g;
                    default -> p.h;
                };
            }
            rec.state(k, n, values[k]);
        }
    }

    /**
     * Writes the state between two steps: the neuron records (state, last visit, refractory end, scheduled
     * wake-up), the delayed input in flight and the spikes of the last step.
     */
    @Override
    public Checkpoint snapshot() {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Checkpoint c = CpuEngineModes.begin(CpuEngineModes.EVENT_GRID, net, step);
        c.put("event.records", st);
        if (current != null) {
            c.put("event.current", current);
        }
        int total = 0;
        for (int s = 0; s < delaySlots; s++) {
            total += delayedCount[s];
        }
        int[] slot = new int[total];
        int[] target = new int[total];
        float[] weight = new float[total];
        int k = 0;
        for (int s = 0; s < delaySlots; s++) {
            for (int j = 0; j < delayedCount[s]; j++, k++) {
                slot[k] = s;
                target[k] = delayedTarget[s][j];
                weight[k] = delayedWeight[s][j];
            }
        }
        c.put("event.delayed.slot", slot).put("event.delayed.target", target).put("event.delayed.weight", weight);
        CheckpointFrame.putPending(c, spikes, spikeCount);
        byte[] clock = new byte[clockPopulation.length];
        for (int p = 0; p < clock.length; p++) {
            clock[p] = (byte) (clockPopulation[p] ? 1 : 0);
        }
        c.put("event.clock-populations", clock);
        return c;
    }

    @Override
    public void restore(Checkpoint c) {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        CpuEngineModes.require(c, net, CpuEngineModes.EVENT_GRID);
        int[] rec = c.ints("event.records", st.length);
        float[] cc = current != null ? c.floats("event.current", neurons) : null;
        int[] slot = c.ints("event.delayed.slot");
        int[] target = c.ints("event.delayed.target", slot.length);
        float[] weight = c.floats("event.delayed.weight", slot.length);
        int[] last = CheckpointFrame.pending(c, net);
        byte[] clock = c.bytes("event.clock-populations", clockPopulation.length);
        for (int p = 0; p < clock.length; p++) {
            if ((clock[p] != 0) != clockPopulation[p]) {
                throw new MyelinException("checkpoint: population '" + net.populations().get(p).name() + "' ran "
                        + (clock[p] != 0 ? "clock-driven" : "event-driven") + " in it, here it runs "
                        + (clockPopulation[p] ? "clock-driven" : "event-driven"));
            }
        }
        for (int k = 0; k < slot.length; k++) {
            int t = target[k] < 0 ? -target[k] - 1 : target[k];
            if (slot[k] < 0 || slot[k] >= delaySlots || t >= neurons) {
                throw new MyelinException("checkpoint: delayed input " + k + " (slot " + slot[k] + ", neuron " + t
                        + ") is out of range");
            }
        }
        if (c.step() > MAX_STEP) {
            throw new MyelinException("checkpoint: step " + c.step() + " is beyond the event-grid engine's range");
        }
        // everything checked: apply
        System.arraycopy(rec, 0, st, 0, st.length);
        if (cc != null) {
            System.arraycopy(cc, 0, current, 0, neurons);
        }
        Arrays.fill(delayedCount, 0);
        for (int k = 0; k < slot.length; k++) {
            enqueue(slot[k], target[k], weight[k]);
        }
        System.arraycopy(last, 0, spikes, 0, last.length);
        spikeCount = last.length;
        step = c.step();
        Arrays.fill(wakeCount, 0);
        for (int i = 0; i < neurons; i++) {
            int w = st[i * STRIDE + WAKE];
            if (w != NONE && w >= step) {
                schedule(i, w);
            }
        }
        generators.rewind();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The first population that does not update in every step, or null. */
    static String multiRatePopulation(Network network) {
        for (var pop : network.populations()) {
            if (pop.model().discretize(network.dtMs()).updateEvery() != 1) {
                return pop.name();
            }
        }
        return null;
    }
}
