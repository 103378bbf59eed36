package org.myelin.backend.cpu;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.InitialState;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.model.ContinuousDynamics;
import org.myelin.core.model.MembraneParameters;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.Network;

/**
 * The event-driven precise engine ({@link org.myelin.core.backend.EngineMode#EVENT_PRECISE}), in the manner of
 * NEST's {@code _ps} models: time is continuous (double, ms), spikes are not rounded to the grid.
 * <ul>
 * <li>Each neuron holds its state (u = v - rest, ge, gi, in double) at the time it was last updated and is
 * advanced by the exact solution of {@link ContinuousDynamics} when an event reaches it.</li>
 * <li>After every update the first threshold crossing of its trajectory without further input is found: the
 * membrane is E + a e^(-t/tauM) + b e^(-t/tauE) + c e^(-t/tauI), each term monotonic, so a branch-and-bound
 * search on interval upper bounds finds the first small interval where it rises above threshold, and bisection
 * on that bracket finds the crossing to 1e-12 ms. The crossing is queued; input arriving first cancels it.</li>
 * <li>Events (input arrivals and crossings) are ordered in a binary heap by time; ties: crossings before arrivals,
 * crossings by neuron index, arrivals in the order they were sent.</li>
 * </ul>
 * The grid remains for what is defined on it: a generator's spike in step n and a neuron's spike in step n are at
 * time (n + 1) dt in the grid modes, so generators fire at (n + 1) dt here; a delay of d steps is a transmission
 * delay of (d - 1) dt (the grid's "no delay" is d = 1), with d as drawn before the grid's rounding (continuous
 * delays from a continuous distribution); current inputs change at n dt; monitors sample at (n + 1) dt;
 * a spike at time t is reported in step ceil(t / dt) - 1 with its exact time. The refractory period is
 * refractoryMs exactly (the grid's is rounded down to steps). As dt goes to 0 the grid modes converge to this.
 */
final class EventPreciseEngine implements CompiledNetwork {
    /** Predictions look this many of the neuron's longest time constant ahead, then re-check. */
    static final double HORIZON_TAUS = 40;
    private static final int CROSSING = 0;
    private static final int ARRIVAL = 1;

    private final Network net;
    private final int neurons;
    private final double dt;
    private final PrecisePopulation[] pops;
    private final int[] popStart;
    private final double[] u;
    private final double[] ge;
    private final double[] gi;
    private final double[] t0;
    private final double[] refEnd;
    private final double[] lastSpike;
    private final double[] current;
    private final int[] version;
    private final ProjectionSynapses[] projections;
    private final ProjectionSynapses[][] outgoing;
    private final int[] nodeEnd;
    private final EventHeap heap = new EventHeap();
    private long seq;
    private long step;
    private boolean closed;
    private final CurrentSchedule currentChanges;
    private final SourceGenerator generators;
    private int[] stepNeuron = new int[64];
    private double[] stepTime = new double[64];
    private int stepCount;
    private int[] scratch;
    private double[] scratchTime;
    /** Generator spikes of the current step (global indices, per generator ascending). */
    private final int[] sourceSpikes;
    private long[] sortKeys = new long[64];
    private final double[] nextCurrent;
    /** The neurons current inputs feed ({@link CurrentSchedule#fedNeurons}). */
    private final int[] fedNeurons;

    private final PreciseTrajectory traj = new PreciseTrajectory();

    EventPreciseEngine(Network network) {
        org.myelin.core.plasticity.FixedWeights.require(network, "event-precise engine");
        org.myelin.core.network.Transmission.requireSpikes(network, "event-precise engine");
        this.net = network;
        this.neurons = network.neuronCount();
        this.dt = network.dtMs();
        int np = network.populations().size();
        pops = new PrecisePopulation[np];
        popStart = new int[np + 1];
        for (int p = 0; p < np; p++) {
            int off = network.offset(p);
            pops[p] = new PrecisePopulation(off, off + network.populations().get(p).size(),
                    network.populations().get(p).model().continuous());
            popStart[p] = off;
        }
        popStart[np] = neurons;
        float[] fu = new float[neurons];
        float[] fe = new float[neurons];
        float[] fi = new float[neurons];
        InitialState.fill(network, fu, fe, fi);
        u = new double[neurons];
        ge = new double[neurons];
        gi = new double[neurons];
        for (int i = 0; i < neurons; i++) {
            u[i] = fu[i];
            ge[i] = fe[i];
            gi[i] = fi[i];
        }
        for (PrecisePopulation q : pops) {
            if (q.delta) {
                // delta synapses have no synaptic variable: initial ge/gi are not part of the model
                Arrays.fill(ge, q.from, q.to, 0);
                Arrays.fill(gi, q.from, q.to, 0);
            }
        }
        t0 = new double[neurons];
        refEnd = new double[neurons];
        lastSpike = new double[neurons];
        Arrays.fill(refEnd, Double.NEGATIVE_INFINITY);
        Arrays.fill(lastSpike, Double.NEGATIVE_INFINITY);
        current = new double[neurons];
        InitialState.currents(network, 0, current);
        version = new int[neurons];
        // the currents of step 0 are set here; the schedule's changes from step 1 on are visits
        currentChanges = CurrentSchedule.of(network);
        int[] whole = {0, neurons};
        projections = new ProjectionSynapses[network.projections().size()];
        for (int k = 0; k < projections.length; k++) {
            projections[k] = new ProjectionSynapses(network, network.projections().get(k), whole, false);
        }
        outgoing = ProjectionSynapses.bySourceNode(network, projections);
        nodeEnd = ProjectionSynapses.nodeEnds(network);
        generators = new SourceGenerator(network);
        scratch = new int[Math.max(1, neurons + SourceGenerator.maxSpikes(network))];
        scratchTime = new double[scratch.length];
        sourceSpikes = new int[Math.max(1, SourceGenerator.maxSpikes(network))];
        nextCurrent = new double[neurons];
        fedNeurons = CurrentSchedule.fedNeurons(network);
        for (int i = 0; i < neurons; i++) {
            predict(i);
        }
    }

    /** External current (nA) of every neuron in force from step {@code s} on, in double. */
    private PrecisePopulation popOf(int i) {
        int p = Arrays.binarySearch(popStart, i);
        return pops[p >= 0 ? p : -p - 2];
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
    public long synapseCount() {
        return ProjectionSynapses.synapses(projections);
    }

    @Override
    public long synapseBytes() {
        return ProjectionSynapses.bytes(projections);
    }

    @Override
    public String device() {
        return "cpu, 1 thread, event-driven (precise spike times)";
    }

    /** Advances neuron i from its last update to time t without input (v frozen until the refractory end). */
    private void advanceTo(int i, PrecisePopulation q, double t) {
        double from = t0[i];
        if (!(t > from)) {
            return;
        }
        double g = ge[i];
        double h = gi[i];
        if (refEnd[i] > from) {
            double frozenTo = Math.min(refEnd[i], t);
            if (!q.delta) {
                g *= Math.exp(-(frozenTo - from) / q.tauE);
                h *= Math.exp(-(frozenTo - from) / q.tauI);
            }
            from = frozenTo;
        }
        double d = t - from;
        if (d > 0) {
            double em = Math.exp(-d / q.tauM);
            double e = q.r * current[i];
            double uu = e + (u[i] - e) * em;
            if (!q.delta) {
                double es = Math.exp(-d / q.tauE);
                double ei = Math.exp(-d / q.tauI);
                uu += q.equalE ? g * (d / q.tauM) * em : g * q.kE * (es - em);
                uu += q.equalI ? h * (d / q.tauM) * em : h * q.kI * (ei - em);
                g *= es;
                h *= ei;
            }
            u[i] = uu;
        }
        ge[i] = g;
        gi[i] = h;
        t0[i] = t;
    }

    /** Queues neuron i's next threshold crossing (or a re-check at the horizon); cancels the one queued before. */
    private void predict(int i) {
        int ver = ++version[i];
        PrecisePopulation q = popOf(i);
        double ts = Math.max(t0[i], refEnd[i]);
        double uu = u[i];
        double g = ge[i];
        double h = gi[i];
        if (ts > t0[i] && !q.delta) {
            g *= Math.exp(-(ts - t0[i]) / q.tauE);
            h *= Math.exp(-(ts - t0[i]) / q.tauI);
        }
        PreciseTrajectory tr = traj;
        tr.set(q, uu, g, h, current[i]);
        if (uu > q.vt) {
            // above threshold already (initial state, or a subtraction that left it above): fire now, once per time
            double at = ts > lastSpike[i] ? ts : lastSpike[i] + dt;
            heap.push(at, CROSSING, i, ver, 1);
            return;
        }
        if (!(tr.tail(0) > q.vt)) {
            return;
        }
        double c = tr.firstCrossing(0, q.horizon);
        if (!Double.isNaN(c)) {
            heap.push(ts + c, CROSSING, i, ver, 1);
        } else if (tr.tail(q.horizon) > q.vt) {
            heap.push(ts + q.horizon, CROSSING, i, ver, 0);
        }
    }

    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        CompiledNetwork.checkRange(this, fromStep, toStep);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Recording.Bound rec = recording.bind(net, fromStep);
        StateMonitor[] sm = rec.stateMonitors();
        double[][] values = new double[sm.length][];
        for (int k = 0; k < sm.length; k++) {
            values[k] = new double[sm[k].neurons().length];
        }
        int changeCursor = currentChanges.cursorAt(Math.max(1, fromStep));
        for (long n = fromStep; n < toStep; n++) {
            double tEnd = (n + 1) * dt;
            stepCount = 0;
            if (currentChanges.changesAt(changeCursor, n)) {
                changeCurrents(n);
                changeCursor++;
            }
            int sources = generateSources(n, tEnd);
            while (true) {
                boolean fromHeap;
                if (nowCount > 0) {
                    // the earliest of the heap's top and the oldest zero-delay arrival, in the heap's order
                    fromHeap = heap.size > 0 && (heap.topTime() < nowTime
                            || heap.topTime() == nowTime && (heap.topKind() == CROSSING
                            || heap.topTie() < nowSeq[nowHead]));
                } else if (heap.size > 0) {
                    fromHeap = true;
                } else {
                    break;
                }
                if (fromHeap) {
                    if (heap.topTime() > tEnd) {
                        if (nowCount == 0) {
                            break;
                        }
                        fromHeap = false;
                    }
                }
                if (fromHeap) {
                    double t = heap.topTime();
                    int kind = heap.topKind();
                    int i = heap.topTarget();
                    int aux = heap.topAux();
                    double w = heap.topWeight();
                    heap.pop();
                    process(t, kind, i, aux, w);
                } else {
                    int k = nowHead;
                    nowHead = (nowHead + 1) & (nowTarget.length - 1);
                    nowCount--;
                    process(nowTime, ARRIVAL, nowTarget[k], nowAux[k], nowWeight[k]);
                }
            }
            report(rec, n, sources, tEnd, sm, values);
            step = n + 1;
        }
        rec.stepsDone(toStep);
    }

    private void changeCurrents(long n) {
        double t = n * dt;
        double[] next = nextCurrent;
        InitialState.currents(net, n, next);
        for (int i : fedNeurons) {
            if (next[i] != current[i]) {
                advanceTo(i, popOf(i), t);
                current[i] = next[i];
                predict(i);
            }
        }
    }

    /** Spikes of the generators in step n, at time tEnd; their synaptic events are queued. */
    private int generateSources(long n, double tEnd) {
        int c = generators.spikes(n, sourceSpikes, 0);
        for (int k = 0; k < c; k++) {
            // queued before any event of this step is processed: through the heap, which orders them by time
            send(sourceSpikes[k], tEnd, false);
        }
        return c;
    }

    /**
     * Queues the synaptic events of a spike of global index g at time t; {@code now} says that t is the time of the
     * event being processed, so that zero-delay arrivals may go to the FIFO of that time.
     */
    private void send(int g, double t, boolean now) {
        int node = 0;
        while (g >= nodeEnd[node]) {
            node++;
        }
        for (ProjectionSynapses q : outgoing[node]) {
            int from = q.rowStart[g - q.sourceOffset];
            int to = q.rowStart[g - q.sourceOffset + 1];
            int receptor = q.inhibitory ? 1 : 0;
            for (int k = from; k < to; k++) {
                double d = q.exactDelay != null ? q.exactDelay[k]
                        : q.delaySteps > 0 ? q.delaySteps : q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
                float w = q.weight == null ? q.weightMv : q.weight[k];
                if (d == 1 && now) {
                    // no transmission delay: at the sending time, after what is queued for it (a FIFO, not the heap)
                    queueNow(t, q.target[k], receptor, w, seq++);
                } else {
                    heap.push(t + (d - 1) * dt, ARRIVAL, q.target[k], receptor, w, seq++);
                }
            }
        }
    }

    private void process(double t, int kind, int i, int aux, double w) {
        PrecisePopulation q = popOf(i);
        if (kind == CROSSING) {
            if (aux != version[i]) {
                return;
            }
            advanceTo(i, q, t);
            if (w == 0) {
                predict(i);
                return;
            }
            if (u[i] < q.vt) {
                u[i] = q.vt;
            }
            spike(i, q, t);
            return;
        }
        advanceTo(i, q, t);
        if (q.delta) {
            if (t >= refEnd[i]) {
                u[i] += w;
                if (u[i] > q.vt) {
                    spike(i, q, t);
                    return;
                }
            }
        } else if (aux == 0) {
            ge[i] += w;
        } else {
            gi[i] += w;
        }
        predict(i);
    }

    /**
     * Zero-delay arrivals, all at the time of the event being processed ({@link #nowTime}), in sending order: they
     * come after the heap's events at that time that precede them (crossings, earlier arrivals), which the
     * processing loop checks.
     */
    private int[] nowTarget = new int[1024];
    private int[] nowAux = new int[1024];
    private double[] nowWeight = new double[1024];
    private long[] nowSeq = new long[1024];
    private int nowHead;
    private int nowCount;
    private double nowTime;

    private void queueNow(double t, int target, int aux, double w, long order) {
        if (nowCount > 0 && t != nowTime) {
            throw new IllegalStateException("zero-delay arrivals of two times at once: " + nowTime + " and " + t);
        }
        if (nowCount == nowTarget.length) {
            int n = nowCount * 2;
            int[] tg = new int[n];
            int[] ax = new int[n];
            double[] wt = new double[n];
            long[] sq = new long[n];
            for (int k = 0; k < nowCount; k++) {
                int from = (nowHead + k) & (nowTarget.length - 1);
                tg[k] = nowTarget[from];
                ax[k] = nowAux[from];
                wt[k] = nowWeight[from];
                sq[k] = nowSeq[from];
            }
            nowTarget = tg;
            nowAux = ax;
            nowWeight = wt;
            nowSeq = sq;
            nowHead = 0;
        }
        int at = (nowHead + nowCount) & (nowTarget.length - 1);
        nowTarget[at] = target;
        nowAux[at] = aux;
        nowWeight[at] = w;
        nowSeq[at] = order;
        nowCount++;
        nowTime = t;
    }

    private void spike(int i, PrecisePopulation q, double t) {
        if (stepCount == stepNeuron.length) {
            stepNeuron = Arrays.copyOf(stepNeuron, stepCount * 2);
            stepTime = Arrays.copyOf(stepTime, stepCount * 2);
        }
        stepNeuron[stepCount] = i;
        stepTime[stepCount] = t;
        stepCount++;
        u[i] = q.bySubtraction ? u[i] - q.subtract : q.reset;
        lastSpike[i] = t;
        refEnd[i] = t + q.refractoryMs;
        send(i, t, true);
        predict(i);
    }

    private void report(Recording.Bound rec, long n, int sourceCount, double tEnd, StateMonitor[] sm,
                        double[][] values) {
        // neuron spikes of this step by neuron (a neuron fires at most once within a refractory period; several
        // spikes of one neuron in a step keep their time order), then the generators' at the end of the step
        if (scratch.length < stepCount + sourceCount) {
            // several spikes of one neuron in a step (refractory period shorter than dt)
            scratch = new int[stepCount + sourceCount];
            scratchTime = new double[scratch.length];
        }
        if (sortKeys.length < stepCount) {
            sortKeys = new long[Math.max(stepCount, 2 * sortKeys.length)];
        }
        long[] keys = sortKeys;
        for (int k = 0; k < stepCount; k++) {
            keys[k] = (long) stepNeuron[k] << 32 | k;
        }
        Arrays.sort(keys, 0, stepCount);
        int c = 0;
        for (int j = 0; j < stepCount; j++) {
            int k = (int) keys[j];
            scratch[c] = stepNeuron[k];
            scratchTime[c] = stepTime[k];
            c++;
        }
        for (int k = 0; k < sourceCount; k++, c++) {
            scratch[c] = sourceSpikes[k];
            scratchTime[c] = tEnd;
        }
        rec.stepSpikeTimes(n, scratch, scratchTime, 0, c);
        for (int k = 0; k < sm.length; k++) {
            if (!rec.samples(k, n)) {
                continue;
            }
            PrecisePopulation q = pops[rec.statePopulation(k)];
            int[] idx = sm[k].neurons();
            for (int j = 0; j < idx.length; j++) {
                int g = q.from + idx[j];
                double su = u[g];
                double se = ge[g];
                double si = gi[g];
                double st0 = t0[g];
                advanceTo(g, q, tEnd);
                values[k][j] = switch (sm[k].variable()) {
                    case "v" -> u[g] + q.resting;
                    case "ge" -> ge[g];
                    default -> gi[g];
                };
                u[g] = su;
                ge[g] = se;
                gi[g] = si;
                t0[g] = st0;
            }
            rec.state(k, n, values[k]);
        }
    }

    @Override
    public Checkpoint snapshot() {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Checkpoint c = CpuEngineModes.begin(CpuEngineModes.EVENT_PRECISE, net, step);
        c.put("precise.u", u).put("precise.ge", ge).put("precise.gi", gi).put("precise.t0", t0);
        c.put("precise.refEnd", refEnd).put("precise.lastSpike", lastSpike).put("precise.current", current);
        int arrivals = 0;
        for (int k = 0; k < heap.size; k++) {
            arrivals += heap.kind(k) == ARRIVAL ? 1 : 0;
        }
        double[] time = new double[arrivals];
        double[] weight = new double[arrivals];
        double[] order = new double[arrivals];
        int[] target = new int[arrivals];
        int[] receptor = new int[arrivals];
        int a = 0;
        for (int k = 0; k < heap.size; k++) {
            if (heap.kind(k) == ARRIVAL) {
                time[a] = heap.time[k];
                weight[a] = heap.weight[k];
                order[a] = heap.tie[k];
                target[a] = heap.target[k];
                receptor[a] = heap.aux[k];
                a++;
            }
        }
        c.put("precise.arrival.time", time).put("precise.arrival.weight", weight).put("precise.arrival.seq", order);
        c.put("precise.arrival.target", target).put("precise.arrival.receptor", receptor);
        c.put("precise.seq", new double[] {seq});
        return c;
    }

    @Override
    public void restore(Checkpoint c) {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        CpuEngineModes.require(c, net, CpuEngineModes.EVENT_PRECISE);
        double[] cu = c.doubles("precise.u", neurons);
        double[] ce = c.doubles("precise.ge", neurons);
        double[] ci = c.doubles("precise.gi", neurons);
        double[] ct = c.doubles("precise.t0", neurons);
        double[] cr = c.doubles("precise.refEnd", neurons);
        double[] cl = c.doubles("precise.lastSpike", neurons);
        double[] cc = c.doubles("precise.current", neurons);
        int[] target = c.ints("precise.arrival.target");
        int n = target.length;
        double[] time = c.doubles("precise.arrival.time", n);
        double[] weight = c.doubles("precise.arrival.weight", n);
        double[] order = c.doubles("precise.arrival.seq", n);
        int[] receptor = c.ints("precise.arrival.receptor", n);
        double cseq = c.doubles("precise.seq", 1)[0];
        for (int k = 0; k < n; k++) {
            if (target[k] < 0 || target[k] >= neurons || (receptor[k] != 0 && receptor[k] != 1)) {
                throw new MyelinException("checkpoint: queued input " + k + " is out of range");
            }
        }
        System.arraycopy(cu, 0, u, 0, neurons);
        System.arraycopy(ce, 0, ge, 0, neurons);
        System.arraycopy(ci, 0, gi, 0, neurons);
        System.arraycopy(ct, 0, t0, 0, neurons);
        System.arraycopy(cr, 0, refEnd, 0, neurons);
        System.arraycopy(cl, 0, lastSpike, 0, neurons);
        System.arraycopy(cc, 0, current, 0, neurons);
        heap.size = 0;
        for (int k = 0; k < n; k++) {
            heap.push(time[k], ARRIVAL, target[k], receptor[k], weight[k], (long) order[k]);
        }
        seq = (long) cseq;
        step = c.step();
        Arrays.fill(version, 0);
        generators.rewind();
        for (int i = 0; i < neurons; i++) {
            predict(i);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
