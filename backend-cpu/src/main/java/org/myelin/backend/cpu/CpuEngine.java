package org.myelin.backend.cpu;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.InitialState;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;

/**
 * The CPU engine. Neurons are split into one contiguous range per worker; worker 0 is the calling thread.
 * One step {@code n} of a worker:
 * <ol>
 * <li>deliver the spikes of step n-1 (all workers' lists, then the generators', in ascending global index)
 * to the worker's own targets: delay 1 straight into ge/gi, longer delays into the ring buffer;</li>
 * <li>drain the ring slot of step n, integrate, threshold and reset its own neurons, writing spike indices;
 * restore v of neurons that were refractory;</li>
 * <li>draw its slice of the generators' spikes of step n ({@link ClockSources}; distributed: worker 0 draws them
 * all).</li>
 * </ol>
 * One barrier ends the step; spike lists are double-buffered by step parity, so worker 0 reports step n to
 * the recording while the others already run step n+1. Semantics are those of the reference engine.
 *
 * <p>Distributed over ranks ({@link SpikeExchange}), the engine owns one contiguous range of neurons, split among its
 * workers as above, and holds only the synapses onto them; spikes travel once per window of the shortest delay
 * ({@link SpikeWindow}), so they are identical for any number of ranks and threads.
 */
final class CpuEngine implements DistributedNetwork {
    /**
     * With automatic thread choice, a worker per this many neurons: below it a step is too short for the
     * barrier to pay off (CUBA with 4000 neurons runs fastest on one thread).
     */
    private static final int AUTO_NEURONS_PER_THREAD = 16_384;
    final Network net;
    final int neurons;
    private final int threads;
    private final int[] threadStart;
    /** The neurons' state and numerics; the fields below are its arrays. */
    final ClockNeurons cells;
    /** Membrane potential relative to the population's resting potential, mV. */
    final float[] v;
    final float[] ge;
    final float[] gi;
    final boolean[] refractory;
    /** Fixed-point accumulation mode: integer rings for every delay, refractory counters, no lazy decay. */
    final boolean fixedPoint;
    final int[] refractoryLeft;
    final float[] current;
    final ClockPopulation[] segments;
    private final ProjectionSynapses[] projections;
    /** Projections out of each node, in declaration order. */
    private final ProjectionSynapses[][] outgoing;
    /** Plastic projections, in declaration order. */
    final PlasticSynapses[] plastics;
    /** Projections whose synapses are computed outside the engine ({@link ExternalSynapses}). */
    private final ProjectionSynapses[] externals;
    /** The longest row of an external projection (each worker's scratch for its values). */
    private final int externalRow;
    private final int[] nodeEnd;
    /** Spike-attention projections, whose counts each worker takes before delivering a step. */
    private final ProjectionSynapses[] attentions;
    /** Membrane projections, in declaration order (they are not among {@link #outgoing}). */
    private final ProjectionSynapses[] membranes;
    /**
     * With membrane projections, v of every neuron as after the step of each parity (each worker copies its own
     * after its step), so that delivery in the next step reads values no worker is overwriting; else null.
     */
    final float[][] carried;
    /** The populations membrane projections carry from, ascending. */
    private final int[] carriedSegments;
    /** Convolution kernels, spike attention and membrane projections, delivered beside the synapse lists. */
    private final StructuredDelivery structured;
    /** Where delivered input goes: ge/gi directly, delay rings (float or fixed point). */
    final ClockInput input;
    final ClockWorker[] parts;
    final ClockSources sources;
    final CurrentSchedule currentChanges;
    private final Thread[] workerThreads;
    private final SpinBarrier barrier;
    private volatile int commandSeq;
    private volatile long commandFrom;
    private volatile long commandTo;
    volatile boolean closed;
    private volatile Throwable failure;
    private Recording.Bound rec;
    private double[][][] samples;
    int[] scratch;
    long step;
    /** Count synaptic events per target population (for the automatic mode's choice). */
    private volatile boolean counting;
    /** Distributed runs: the owned neurons and the spike window (null in one process). */
    final int ownFirst;
    final int ownEnd;
    final SpikeWindow spikeWindow;

    CpuEngine(Network network, int requestedThreads, boolean fixedPoint) {
        this(network, requestedThreads, fixedPoint, null);
    }

    /**
     * With {@code external} (may be null, or return null for a projection the engine keeps), projections whose
     * synapses are computed outside the engine at every step.
     */
    CpuEngine(Network network, int requestedThreads, boolean fixedPoint,
              java.util.function.Function<ExternalSynapses.Layout, ExternalSynapses> external) {
        this(network, requestedThreads, fixedPoint, external, null);
    }

    /**
     * With {@code exchange} (may be null: one process), this rank's part of a distributed network: the neurons
     * {@link SpikeExchange#range} gives it and the synapses onto them.
     */
    CpuEngine(Network network, int requestedThreads, boolean fixedPoint,
              java.util.function.Function<ExternalSynapses.Layout, ExternalSynapses> external, SpikeExchange exchange) {
        this(network, requestedThreads, fixedPoint, external, exchange, false);
    }

    /**
     * The engine of the cpu backend's CLOCK mode in one process: convolutions kept as their kernels
     * ({@link ConvolutionSynapses}) and membrane projections ({@link org.myelin.core.network.Transmission#MEMBRANE}).
     * An engine that another takes over from (AUTO) or that hands its synapses out (external, distributed) keeps
     * every projection as synapse lists.
     */
    static CpuEngine clock(Network network, int requestedThreads, boolean fixedPoint) {
        return new CpuEngine(network, requestedThreads, fixedPoint, null, null, true);
    }

    private CpuEngine(Network network, int requestedThreads, boolean fixedPoint,
                      java.util.function.Function<ExternalSynapses.Layout, ExternalSynapses> external,
                      SpikeExchange exchange, boolean clockMode) {
        if (!clockMode) {
            org.myelin.core.network.Transmission.requireSpikes(network, exchange != null ? "distributed cpu engine"
                    : external != null ? "cpu engine with external synapses" : "cpu engine, mode AUTO");
        } else if (fixedPoint) {
            org.myelin.core.network.Transmission.requireSpikes(network, "cpu engine, fixed-point accumulation");
        }
        this.fixedPoint = fixedPoint;
        this.net = network;
        this.neurons = network.neuronCount();
        if (exchange != null && external != null) {
            throw new MyelinException("cpu engine: synapses computed outside the engine cannot be distributed");
        }
        int[] own = exchange == null ? new int[] {0, neurons} : SpikeExchange.range(neurons, exchange.rank(), exchange.size());
        ownFirst = own[0];
        ownEnd = own[1];
        int owned = ownEnd - ownFirst;
        int wanted = requestedThreads == SimulationConfig.AUTO
                ? Math.min(Runtime.getRuntime().availableProcessors(), owned / AUTO_NEURONS_PER_THREAD)
                : requestedThreads;
        this.threads = Math.max(1, Math.min(wanted, Math.max(1, owned)));
        threadStart = new int[threads + 1];
        for (int t = 0; t <= threads; t++) {
            threadStart[t] = ownFirst + (int) ((long) owned * t / threads);
        }
        cells = new ClockNeurons(network, fixedPoint);
        v = cells.v;
        ge = cells.ge;
        gi = cells.gi;
        refractory = cells.refractory;
        refractoryLeft = cells.refractoryLeft;
        current = cells.current;
        segments = cells.segments;
        List<Population> pops = network.populations();
        currentChanges = CurrentSchedule.of(network);
        projections = new ProjectionSynapses[network.projections().size()];
        int maxDelay = 1;
        for (int k = 0; k < projections.length; k++) {
            projections[k] = exchange == null
                    ? new ProjectionSynapses(network, network.projections().get(k), threadStart, fixedPoint, clockMode)
                    : new ProjectionSynapses(network, network.projections().get(k), threadStart, fixedPoint, ownFirst,
                            ownEnd);
            maxDelay = Math.max(maxDelay, projections[k].maxDelay);
        }
        if (exchange == null) {
            spikeWindow = null;
        } else {
            long shortest = SpikeWindow.MAX_STEPS;
            for (ProjectionSynapses q : projections) {
                shortest = Math.min(shortest, q.minDelay);
            }
            // the whole network's shortest delay, whatever synapses this rank happens to hold
            spikeWindow = new SpikeWindow(exchange, shortest, neurons, SourceGenerator.maxSpikes(network), threads);
        }
        plastics = PlasticSynapses.bind(network, projections, threads, fixedPoint, exchange != null, external != null);
        externals = external == null ? new ProjectionSynapses[0]
                : ProjectionSynapses.bindExternal(network, projections, threadStart, fixedPoint, external);
        externalRow = ProjectionSynapses.longestRow(externals);
        outgoing = ProjectionSynapses.bySourceNode(network, java.util.Arrays.stream(projections)
                .filter(q -> !q.membrane).toArray(ProjectionSynapses[]::new));
        membranes = java.util.Arrays.stream(projections).filter(q -> q.membrane).toArray(ProjectionSynapses[]::new);
        attentions = java.util.Arrays.stream(projections).filter(q -> q.attention != null)
                .toArray(ProjectionSynapses[]::new);
        carried = membranes.length == 0 ? null : new float[2][neurons];
        carriedSegments = java.util.Arrays.stream(membranes).mapToInt(q -> q.sourceNode).distinct().sorted().toArray();
        nodeEnd = ProjectionSynapses.nodeEnds(network);
        input = new ClockInput(ge, gi, maxDelay, fixedPoint, ownFirst, ownEnd, spikeWindow != null);
        structured = new StructuredDelivery(input, fixedPoint, threads, segments);
        parts = new ClockWorker[threads];
        for (int t = 0; t < threads; t++) {
            parts[t] = new ClockWorker(t, threadStart[t], threadStart[t + 1], pops.size());
            parts[t].sink = new ExternalSink(input);
            parts[t].ringDirty = new boolean[pops.size() * input.ringSlots];
        }
        sources = new ClockSources(network, spikeWindow == null ? threads : 1);
        scratch = new int[Math.max(1, neurons + SourceGenerator.maxSpikes(network))];
        barrier = new SpinBarrier(threads);
        workerThreads = new Thread[threads - 1];
        for (int t = 1; t < threads; t++) {
            ClockWorker p = parts[t];
            Thread th = new Thread(() -> workerLoop(p), "myelin-cpu-" + t);
            th.setDaemon(true);
            workerThreads[t - 1] = th;
            th.start();
        }
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
    public void write(String population, int[] neurons, double[] vMv) {
        CpuEngineState.write(this, population, neurons, vMv);
    }

    @Override
    public double[] read(String population, String variable, int[] neurons) {
        return CpuEngineState.read(this, population, variable, neurons);
    }

    @Override
    public org.myelin.core.backend.SynapseWeights weights(String projection) {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        for (PlasticSynapses ps : plastics) {
            ps.flush();
        }
        return ProjectionSynapses.weights(net, projections, projection);
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
        return "cpu, " + (spikeWindow == null ? "" : spikeWindow.ranks() + " ranks x ") + threads + " thread"
                + (threads == 1 ? "" : "s") + (fixedPoint ? ", fixed point" : "");
    }

    @Override
    public int rank() {
        return spikeWindow == null ? 0 : spikeWindow.rank();
    }

    @Override
    public int ranks() {
        return spikeWindow == null ? 1 : spikeWindow.ranks();
    }

    @Override
    public int ownedFirst() {
        return ownFirst;
    }

    @Override
    public int ownedEnd() {
        return ownEnd;
    }

    @Override
    public int windowSteps() {
        return spikeWindow == null ? 1 : spikeWindow.steps;
    }

    @Override
    public long exchanges() {
        return spikeWindow == null ? 0 : spikeWindow.exchanges();
    }

    @Override
    public double exchangeSeconds() {
        return spikeWindow == null ? 0 : spikeWindow.exchangeSeconds();
    }

    @Override
    public long exchangedInts() {
        return spikeWindow == null ? 0 : spikeWindow.exchangedInts();
    }

    /** Worker threads in use (at most the neuron count). */
    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        CompiledNetwork.checkRange(this, fromStep, toStep);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        rec = recording.bind(net, fromStep);
        StateMonitor[] sm = rec.stateMonitors();
        if (spikeWindow != null && sm.length > 0) {
            throw new MyelinException("a distributed network records spikes only; state monitor of '"
                    + sm[0].population() + "' cannot be sampled across ranks");
        }
        samples = new double[sm.length][2][];
        for (int k = 0; k < sm.length; k++) {
            samples[k][0] = new double[sm[k].neurons().length];
            samples[k][1] = new double[sm[k].neurons().length];
        }
        if (toStep == fromStep) {
            rec.stepsDone(toStep);
            return;
        }
        if (threads > 1) {
            commandFrom = fromStep;
            commandTo = toStep;
            commandSeq = commandSeq + 1;
            for (Thread t : workerThreads) {
                LockSupport.unpark(t);
            }
        }
        try {
            for (long n = fromStep; n < toStep; n++) {
                stepPartition(parts[0], n);
                if (threads > 1) {
                    barrier.await();
                }
                if (spikeWindow == null) {
                    report(n);
                } else if (spikeWindow.endsAfter(n, fromStep, toStep)) {
                    spikeWindow.exchange(n + 1 - spikeWindow.stepsEndingAfter(n, fromStep), n + 1, rec, scratch);
                    if (threads > 1) {
                        barrier.await();
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            barrier.breakBarrier();
            closed = true;
            Throwable f = failure;
            if (f != null) {
                throw new MyelinException("cpu engine failed in a worker: " + f, f);
            }
            throw e;
        }
        step = toStep;
        rec.stepsDone(toStep);
    }

    private void workerLoop(ClockWorker p) {
        int seen = 0;
        while (true) {
            int seq;
            while ((seq = commandSeq) == seen) {
                LockSupport.park(this);
                if (closed) {
                    return;
                }
            }
            seen = seq;
            long from = commandFrom;
            long to = commandTo;
            try {
                for (long n = from; n < to; n++) {
                    stepPartition(p, n);
                    barrier.await();
                    if (spikeWindow != null && spikeWindow.endsAfter(n, from, to)) {
                        barrier.await();
                    }
                }
            } catch (Throwable e) {
                failure = e;
                barrier.breakBarrier();
                return;
            }
        }
    }

    private void stepPartition(ClockWorker p, long n) {
        int par = (int) (n & 1);
        int prev = par ^ 1;
        cells.prepareScales(p);
        for (PlasticSynapses ps : plastics) {
            ps.potentiate(p.index, p.spikes[prev], p.spikeCount[prev], n - 1);
        }
        if (spikeWindow == null) {
            for (ProjectionSynapses q : attentions) {
                if (segments[q.attention.keyPopulation].updatesAt(n - 1)) {
                    q.attention.count(p.index, parts, prev);
                }
            }
            for (ClockWorker u : parts) {
                deliver(p, u.spikes[prev], 0, u.spikeCount[prev], n - 1);
            }
            for (int s = 0; s < sources.slices(); s++) {
                deliver(p, sources.list(s, prev), 0, sources.count(s, prev), n - 1);
            }
            for (PlasticSynapses ps : plastics) {
                ps.bumpTargets(p.spikes[prev], p.spikeCount[prev], n - 1);
            }
            if (carried != null) {
                structured.membranes(p, membranes, carried[prev], n - 1, counting);
            }
        } else if (spikeWindow.deliversAt(n)) {
            spikeWindow.deliver(this, p);
        }
        for (ProjectionSynapses q : externals) {
            p.sink.aim(q, p, n - 1);
            q.external.endStep(p.index, n - 1, p.sink);
        }
        int t = p.index;
        if (current != null && currentChanges.changesAt(p.changeCursor, n)) {
            updateCurrents(p, n);
            p.changeCursor++;
        }
        int spikeCount = cells.advance(p, input, n, par);
        p.spikeCount[par] = spikeCount;
        if (carried != null) {
            for (int q : carriedSegments) {
                ClockPopulation s = segments[q];
                int a = Math.max(s.from(), p.lo);
                int b = Math.min(s.to(), p.hi);
                if (a < b && s.updatesAt(n)) {
                    System.arraycopy(v, a, carried[par], a, b - a);
                }
            }
        }
        if (spikeWindow != null) {
            spikeWindow.keep(p.index, p.spikes[par], spikeCount);
        }
        if (samples.length > 0) {
            cells.sample(p, rec, n, samples, par);
        }
        if (t < sources.slices() && sources.any()) {
            sources.draw(t, n, par);
        }
        if (t == 0 && spikeWindow != null) {
            spikeWindow.keepSources(sources.list(0, par), sources.count(0, par));
        }
    }

    /** Delivers spikes {@code list[first, first + count)} of {@code spikeStep} to worker p's targets. */
    void deliver(ClockWorker p, int[] list, int first, int count, long spikeStep) {
        int t = p.index;
        int node = 0;
        for (int s = first; s < first + count; s++) {
            int g = list[s];
            while (g >= nodeEnd[node]) {
                node++;
            }
            ProjectionSynapses[] out = outgoing[node];
            for (ProjectionSynapses q : out) {
                int row = g - q.sourceOffset;
                if (q.conv != null) {
                    structured.convolution(p, q, row, spikeStep, counting);
                    continue;
                }
                if (q.attention != null) {
                    structured.attention(p, q, row, spikeStep, counting);
                    continue;
                }
                int base = row * (threads + 1) + t;
                int from = q.split[base];
                int to = q.split[base + 1];
                if (q.plastic != null) {
                    if (from < to) {
                        q.plastic.depress(t, row, from, to, spikeStep);
                    }
                    q.plastic.bumpSource(t, row, spikeStep);
                }
                if (from == to) {
                    continue;
                }
                if (counting) {
                    p.inputEvents[q.targetPopulation] += to - from;
                }
                structured.markRing(p, q, spikeStep);
                if (q.external != null) {
                    if (p.values == null) {
                        p.values = new float[externalRow];
                    }
                    if (q.external.row(t, spikeStep, g - q.sourceOffset, from, to, p.values)) {
                        input.addValues(q, p.values, from, to, spikeStep,
                                q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation]);
                    }
                    continue;
                }
                input.addRow(q, from, to, spikeStep,
                        q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation], fixedPoint);
            }
        }
    }

    private void updateCurrents(ClockWorker p, long n) {
        InitialState.currents(net, n, current, p.lo, p.hi);
    }

    /**
     * Copies the spikes of the step of parity {@code par} into {@code into} as one ascending list (the workers own
     * ascending ranges, the generators follow the neurons); returns their count.
     */
    int stepSpikes(int par, int[] into) {
        int c = 0;
        for (ClockWorker p : parts) {
            System.arraycopy(p.spikes[par], 0, into, c, p.spikeCount[par]);
            c += p.spikeCount[par];
        }
        return sources.copy(par, into, c);
    }

    /** Worker 0, after the barrier of step n: spikes and samples of step n to the recording. */
    private void report(long n) {
        int par = (int) (n & 1);
        if (rec.wantsAnySpikes()) {
            rec.stepSpikes(n, scratch, 0, stepSpikes(par, scratch));
        }
        StateMonitor[] sm = rec.stateMonitors();
        for (int k = 0; k < sm.length; k++) {
            if (rec.samples(k, n)) {
                rec.state(k, n, samples[k][par]);
            }
        }
    }

    /**
     * Writes the state between two steps ({@link CpuEngineState#snapshot}): in one process the last step's spikes
     * merged, so a checkpoint can be restored with any thread count; distributed, each rank's part.
     */
    @Override
    public Checkpoint snapshot() {
        return CpuEngineState.snapshot(this);
    }

    /** Replaces the state with a checkpoint of this network; everything is checked before anything changes. */
    @Override
    public void restore(Checkpoint c) {
        CpuEngineState.restore(this, c);
    }

    /** The synapses, for an engine that takes over this one's state (they are immutable). */
    ProjectionSynapses[] synapses() {
        return projections;
    }

    /** Starts (or stops) counting synaptic events per target population; counts are reset when starting. */
    void countInputEvents(boolean on) {
        if (on) {
            for (ClockWorker p : parts) {
                java.util.Arrays.fill(p.inputEvents, 0);
            }
        }
        counting = on;
    }

    /** Sets the counts (restoring the automatic mode's probe). */
    void presetInputEvents(long[] counts) {
        for (ClockWorker p : parts) {
            java.util.Arrays.fill(p.inputEvents, 0);
        }
        System.arraycopy(counts, 0, parts[0].inputEvents, 0, counts.length);
    }

    /** Synaptic events delivered to each population since counting started. */
    long[] inputEvents() {
        long[] sum = new long[segments.length];
        for (ClockWorker p : parts) {
            for (int q = 0; q < sum.length; q++) {
                sum[q] += p.inputEvents[q];
            }
        }
        return sum;
    }

    /** The state between two steps in engine-neutral form ({@link CpuEngineState#export}). */
    BoundaryState exportState() {
        return CpuEngineState.export(this);
    }

    void requireOneProcess(String what) {
        if (spikeWindow != null) {
            throw new MyelinException(what + ": not available for a distributed network (rank " + rank() + " of "
                    + ranks() + ")");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workerThreads) {
            LockSupport.unpark(t);
        }
        for (Thread t : workerThreads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
