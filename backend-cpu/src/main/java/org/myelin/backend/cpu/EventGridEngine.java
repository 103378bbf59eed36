package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.GridRecords.FROZEN;
import static org.myelin.backend.cpu.GridRecords.GE;
import static org.myelin.backend.cpu.GridRecords.GI;
import static org.myelin.backend.cpu.GridRecords.INE;
import static org.myelin.backend.cpu.GridRecords.INI;
import static org.myelin.backend.cpu.GridRecords.LAST;
import static org.myelin.backend.cpu.GridRecords.NONE;
import static org.myelin.backend.cpu.GridRecords.STRIDE;
import static org.myelin.backend.cpu.GridRecords.U;
import static org.myelin.backend.cpu.GridRecords.WAKE;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.InitialState;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CheckpointFrame;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
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
 * automatic mode does so for busy ones): their neurons are visited at every step and never predicted. A multi-rate
 * population (one that updates every few steps, {@link org.myelin.core.model.Propagators#updateEvery}) is visited at
 * each of its updates and steps in the clock engine's float arithmetic, with input of delay 1 added synapse by
 * synapse as the clock adds it, so its spikes and state are the clock engine's bit for bit.
 *
 * <p>Per-neuron state is one record of ints ({@link GridRecords}). Neurons to visit are marked in a bitset and
 * visited in ascending order, so spikes come out sorted.
 */
final class EventGridEngine implements CompiledNetwork {
    /** Gaps up to this many steps use one table lookup; longer ones are chained. */
    static final int TABLE = 4096;
    /** A threshold prediction scans at most this many steps ahead, then schedules a re-check. */
    static final int SCAN = 2048;
    /** Steps are kept as ints: a run ends before this step. */
    static final long MAX_STEP = Integer.MAX_VALUE - SCAN - 4L;

    private final Network net;
    private final int neurons;
    private final int[] st;
    private final GridPopulation[] pops;
    private final int[] popStart;
    private final ProjectionSynapses[][] outgoing;
    private final ProjectionSynapses[] projections;
    /** Membrane projections and spike attention ({@link GridStructured}). */
    private final GridStructured structured;
    private final int[] nodeEnd;
    private final DelayedInputLists delayed;
    private final WakeCalendar wakeUps = new WakeCalendar();
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
    /** The neurons current inputs feed ({@link CurrentSchedule#fedNeurons}). */
    private final int[] fedNeurons;
    private final float[] currentScratch;
    private long step;
    private boolean closed;

    private final GridCursor cur = new GridCursor();
    /** Populations visited at every step. */
    private final boolean[] clockPopulation;
    private final GridCursor probe = new GridCursor();
    private final CrossingPredictor predictor;
    /**
     * The neurons of multi-rate populations (one bit each), or null when there are none. Such a neuron is visited at
     * each of its updates and is never behind, so input of delay 1 is added straight into its ge/gi, synapse by
     * synapse, as the clock engine adds it; input between its updates waits there ({@link #stepMultiRate}).
     */
    private final long[] directInput;

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
        org.myelin.core.plasticity.FixedWeights.require(network, "event-grid engine");
        this.net = network;
        this.clockPopulation = clockPopulations.clone();
        this.neurons = network.neuronCount();
        if ((long) neurons * STRIDE > Integer.MAX_VALUE - 8) {
            throw new MyelinException("event-grid engine: at most " + (Integer.MAX_VALUE - 8) / STRIDE
                    + " neurons, the network has " + neurons);
        }
        st = GridRecords.initial(network);
        int np = network.populations().size();
        pops = new GridPopulation[np];
        popStart = new int[np + 1];
        for (int p = 0; p < np; p++) {
            int off = network.offset(p);
            pops[p] = new GridPopulation(off, off + network.populations().get(p).size(),
                    network.populations().get(p).model().discretize(network.dtMs()));
            popStart[p] = off;
            if (pops[p].multiRate() && pops[p].refractorySteps > 1) {
                throw new MyelinException("event-grid engine: population '" + network.populations().get(p).name()
                        + "' updates only every " + pops[p].every + " steps and has a refractory period of "
                        + pops[p].refractorySteps + " steps, which this engine does not hold; run it in mode CLOCK");
            }
        }
        popStart[np] = neurons;
        directInput = GridPopulation.multiRateNeurons(pops, neurons);
        boolean anyCurrent = !network.currents().isEmpty();
        for (GridPopulation q : pops) {
            anyCurrent |= q.bias != 0;
        }
        current = anyCurrent ? new float[neurons] : null;
        predictor = new CrossingPredictor(st, current);
        if (current != null) {
            InitialState.currents(network, 0, current);
        }
        // the currents of step 0 are set here; the schedule's changes from step 1 on are visits
        currentChanges = CurrentSchedule.of(network);
        hasCurrentInputs = !network.currents().isEmpty();
        fedNeurons = CurrentSchedule.fedNeurons(network);
        currentScratch = hasCurrentInputs ? new float[neurons] : null;
        int[] whole = {0, neurons};
        projections = shared != null ? shared : new ProjectionSynapses[network.projections().size()];
        int maxDelay = 1;
        for (int k = 0; k < projections.length; k++) {
            if (shared == null) {
                projections[k] = ProjectionSynapses.forGrid(network, network.projections().get(k), whole);
            }
            maxDelay = Math.max(maxDelay, projections[k].maxDelay);
        }
        outgoing = ProjectionSynapses.bySourceNode(network, Arrays.stream(projections).filter(q -> !q.membrane)
                .toArray(ProjectionSynapses[]::new));
        nodeEnd = ProjectionSynapses.nodeEnds(network);
        delayed = new DelayedInputLists(maxDelay);
        structured = new GridStructured(network, projections, pops, clockPopulation, st, delayed, this::addNext);
        marked = new long[(neurons + 63) >>> 6];
        summary = new long[(marked.length + 63) >>> 6];
        spikes = new int[Math.max(1, neurons + SourceGenerator.maxSpikes(network))];
        generators = new SourceGenerator(network);
        // the initial state may already be headed for threshold (initial v, bias current): predict from step -1
        predictAll(-1);
    }

    private void predictAll(int n) {
        for (int p = 0; p < pops.length; p++) {
            if (clockPopulation[p] || pops[p].multiRate()) {
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
        delayed.clearAll();
        for (long[] d : b.delayed()) {
            delayed.add((int) (d[0] % delayed.slots), (int) d[1], Float.intBitsToFloat((int) d[2]));
        }
        System.arraycopy(b.lastSpikes(), 0, spikes, 0, b.lastSpikes().length);
        spikeCount = b.lastSpikes().length;
        step = b.step();
        wakeUps.clear();
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
        GridPopulation q = pops[node];
        double[] out = new double[neurons.length];
        for (int j = 0; j < neurons.length; j++) {
            GridCursor p = probe;
            int g = q.from + neurons[j];
            p.load(st, g * STRIDE, current == null ? 0f : current[g]);
            if (step > 0 && !q.multiRate()) {
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
            structured.deliverMembranes(n);
            drainDelayed(n);
            drainWakeUps(n);
            for (int p = 0; p < pops.length; p++) {
                if (clockPopulation[p] || (pops[p].multiRate() && pops[p].updatesAt(n))) {
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
            structured.keep(n);
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

    /**
     * Input of delay 1: into the neuron's sum of this step, or, for a neuron of a multi-rate population, straight into
     * its ge/gi (see {@link #directInput}); either way the neuron is visited.
     */
    private void addNext(int i, float w, boolean inhibitory) {
        if (directInput == null || (directInput[i >>> 6] & (1L << i)) == 0) {
            addInput(i, w, inhibitory);
            return;
        }
        visit(i);
        int k = i * STRIDE + (inhibitory ? GI : GE);
        st[k] = Float.floatToRawIntBits(Float.intBitsToFloat(st[k]) + w);
    }

    /** Spikes of step n - 1, in ascending global index: delay 1 into this step, longer delays into their slot. */
    private void deliverLastStep(int n) {
        structured.count(spikes, spikeCount, n);
        int node = 0;
        for (int s = 0; s < spikeCount; s++) {
            int g = spikes[s];
            while (g >= nodeEnd[node]) {
                node++;
            }
            for (ProjectionSynapses q : outgoing[node]) {
                if (q.attention != null) {
                    structured.attend(q, g - q.sourceOffset, n);
                    continue;
                }
                int from = q.rowStart[g - q.sourceOffset];
                int to = q.rowStart[g - q.sourceOffset + 1];
                boolean inh = q.inhibitory;
                if (q.delaySteps == 1 && directInput == null) {
                    for (int k = from; k < to; k++) {
                        addInput(q.target[k], q.weight == null ? q.weightMv : q.weight[k], inh);
                    }
                } else if (q.delaySteps == 1) {
                    for (int k = from; k < to; k++) {
                        addNext(q.target[k], q.weight == null ? q.weightMv : q.weight[k], inh);
                    }
                } else {
                    for (int k = from; k < to; k++) {
                        int d = q.delaySteps > 0 ? q.delaySteps : q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
                        float w = q.weight == null ? q.weightMv : q.weight[k];
                        if (d == 1) {
                            addNext(q.target[k], w, inh);
                        } else {
                            delayed.add((n - 1 + d) % delayed.slots, inh ? -q.target[k] - 1 : q.target[k], w);
                        }
                    }
                }
            }
        }
    }

    private void drainDelayed(int n) {
        int c = delayed.count(n);
        int[] t = delayed.targets(n);
        float[] w = delayed.weights(n);
        for (int k = 0; k < c; k++) {
            int x = t[k];
            boolean inh = x < 0;
            int i = inh ? -x - 1 : x;
            addInput(i, w[k], inh);
        }
        delayed.clear(n);
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
        wakeUps.add(i, m);
    }

    private void drainWakeUps(int n) {
        int c = wakeUps.drain(n);
        int[] l = wakeUps.listed(n);
        for (int k = 0; k < c; k++) {
            int i = l[k];
            if (st[i * STRIDE + WAKE] == n) {
                visit(i);
            }
        }
    }

    /** A change of external current at step n: every neuron fed by a current input is visited with its new value. */
    private void changeCurrents(int n) {
        for (int i : fedNeurons) {
            visit(i);
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
        GridCursor x = cur;
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
                    GridPopulation q = pops[p];
                    int b = i * STRIDE;
                    if (q.floatStep != null) {
                        if (stepMultiRate(x, q, i, n, newCurrents)) {
                            spikes[c++] = i;
                        }
                        continue;
                    }
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
                    if (spiked && q.delayedReset) {
                        // its reset is taken off at the next step: visit it then, whatever else happens
                        schedule(i, n + 1);
                    } else if (!clockPopulation[p]) {
                        predict(i, q, n);
                    }
                } while (bits != 0);
            }
        }
        spikeCount = c;
    }

    /**
     * Step n of neuron i of a multi-rate population: the input of this step is added to ge/gi (as the clock engine
     * drains its ring slot); at an update the neuron steps in the clock's float arithmetic, otherwise nothing else
     * changes. Its record is never behind, so it needs no analytic advance and no prediction.
     */
    private boolean stepMultiRate(GridCursor x, GridPopulation q, int i, int n, boolean newCurrents) {
        int b = i * STRIDE;
        x.load(st, b, current == null ? 0f : current[i]);
        if (newCurrents) {
            x.c = currentScratch[i];
            current[i] = currentScratch[i];
        }
        x.g = Float.intBitsToFloat(st[b + GE]) + Float.intBitsToFloat(st[b + INE]);
        x.h = Float.intBitsToFloat(st[b + GI]) + Float.intBitsToFloat(st[b + INI]);
        st[b + INE] = 0;
        st[b + INI] = 0;
        boolean spiked = false;
        if (q.updatesAt(n)) {
            spiked = x.stepMultiRate(q.floatStep, n, current != null);
        }
        x.store(st, b);
        st[b + FROZEN] = x.frozen;
        return spiked;
    }

    /** Schedules neuron i (state at the end of step n) for its predicted crossing ({@link CrossingPredictor}). */
    private void predict(int i, GridPopulation q, int n) {
        schedule(i, predictor.wakeUp(i, q, n));
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
            GridPopulation q = pops[rec.statePopulation(k)];
            int[] idx = sm[k].neurons();
            for (int j = 0; j < idx.length; j++) {
                GridCursor p = probe;
                int g = q.from + idx[j];
                p.load(st, g * STRIDE, current == null ? 0f : current[g]);
                if (!q.multiRate()) {
                    p.advanceTo(q, n);
                    p.round();
                }
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
        delayed.save(c);
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
        DelayedInputLists.Saved inFlight = delayed.read(c, neurons);
        int[] last = CheckpointFrame.pending(c, net);
        byte[] clock = c.bytes("event.clock-populations", clockPopulation.length);
        for (int p = 0; p < clock.length; p++) {
            if ((clock[p] != 0) != clockPopulation[p]) {
                throw new MyelinException("checkpoint: population '" + net.populations().get(p).name() + "' ran "
                        + (clock[p] != 0 ? "clock-driven" : "event-driven") + " in it, here it runs "
                        + (clockPopulation[p] ? "clock-driven" : "event-driven"));
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
        delayed.load(inFlight);
        System.arraycopy(last, 0, spikes, 0, last.length);
        spikeCount = last.length;
        step = c.step();
        wakeUps.clear();
        for (int i = 0; i < neurons; i++) {
            int w = st[i * STRIDE + WAKE];
            if (w != NONE && w >= step) {
                schedule(i, w);
            }
        }
        generators.rewind();
        structured.restored(step);
    }

    /** v of a multi-rate population's neurons (those this engine keeps up to date in every step). */
    @Override
    public void write(String population, int[] neurons, double[] vMv) {
        int node = CompiledNetwork.checkRead(net, population, "v", neurons);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        GridPopulation q = pops[node];
        if (!q.multiRate()) {
            throw new MyelinException("write: population '" + population + "' runs event-driven in the event-grid"
                    + " engine, which sets v of multi-rate populations only; run in mode CLOCK");
        }
        if (vMv.length != neurons.length) {
            throw new MyelinException("write: needs one value per neuron, got " + neurons.length + " neurons and "
                    + vMv.length + " values");
        }
        for (int j = 0; j < neurons.length; j++) {
            if (!Double.isFinite(vMv[j])) {
                throw new MyelinException("write: v of neuron " + neurons[j] + " must be finite, was " + vMv[j]);
            }
            int g = q.from + neurons[j];
            float u = (float) (vMv[j] - q.resting);
            st[g * STRIDE + U] = Float.floatToRawIntBits(u);
            structured.written(g, u, step);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
