package org.myelin.backend.cpu;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.InitialState;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CheckpointFrame;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.model.Propagators;
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
 * <li>worker 0 also draws the generators' spikes of step n.</li>
 * </ol>
 * One barrier ends the step; spike lists are double-buffered by step parity, so worker 0 reports step n to
 * the recording while the others already run step n+1. Semantics are those of the reference engine.
 *
 * <p>Distributed over ranks ({@link SpikeExchange}), the engine owns one contiguous range of neurons, split among its
 * workers as above, and holds only the synapses onto them; spikes travel once per window of the shortest delay
 * ({@link SpikeWindow}), so they are identical for any number of ranks and threads.
 */
final class CpuEngine implements DistributedNetwork {
    private static final int BLOCK = 1024;
    /**
     * With automatic thread choice, a worker per this many neurons: below it a step is too short for the
     * barrier to pay off (CUBA with 4000 neurons runs fastest on one thread).
     */
    private static final int AUTO_NEURONS_PER_THREAD = 16_384;
    /** Lazy decay scales are folded back before they fall below this (about 1e-12): floats keep their range. */
    private static final double RESCALE_BELOW = 0x1.0p-40;
    private final Network net;
    private final int neurons;
    private final int threads;
    private final int[] threadStart;
    /** Membrane potential relative to the population's resting potential, mV. */
    private final float[] v;
    private final float[] ge;
    private final float[] gi;
    private final boolean[] refractory;
    /** Fixed-point accumulation mode: integer rings for every delay, refractory counters, no lazy decay. */
    private final boolean fixedPoint;
    private final int[] refractoryLeft;
    private final float[] current;
    private final ClockPopulation[] segments;
    private final ProjectionSynapses[] projections;
    /** Projections out of each node, in declaration order. */
    private final ProjectionSynapses[][] outgoing;
    /** Plastic projections, in declaration order. */
    private final PlasticSynapses[] plastics;
    /** Projections whose synapses are computed outside the engine ({@link ExternalSynapses}). */
    private final ProjectionSynapses[] externals;
    /** The longest row of an external projection (each worker's scratch for its values). */
    private int externalRow;
    private final int[] nodeEnd;
    /** Where delivered input goes: ge/gi directly, delay rings (float or fixed point). */
    private final ClockInput input;
    private final ClockWorker[] parts;
    private final int[][] sourceSpikes;
    private final int[] sourceSpikeCount = new int[2];
    private final SourceGenerator generators;
    private final CurrentSchedule currentChanges;
    private final Thread[] workerThreads;
    private final SpinBarrier barrier;
    private volatile int commandSeq;
    private volatile long commandFrom;
    private volatile long commandTo;
    private volatile boolean closed;
    private volatile Throwable failure;
    private Recording.Bound rec;
    private double[][][] samples;
    private int[] scratch;
    private long step;
    /** Count synaptic events per target population (for the automatic mode's choice). */
    private volatile boolean counting;
    /** Distributed runs: the owned neurons and the spike window (null in one process). */
    private final int ownFirst;
    private final int ownEnd;
    private final SpikeWindow spikeWindow;

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
        v = new float[neurons];
        ge = new float[neurons];
        gi = new float[neurons];
        refractory = new boolean[neurons];
        List<Population> pops = network.populations();
        segments = new ClockPopulation[pops.size()];
        boolean needCurrent = !network.currents().isEmpty();
        for (int p = 0; p < pops.size(); p++) {
            Population pop = pops.get(p);
            Propagators pr = pop.model().discretize(network.dtMs());
            int off = network.offset(p);
            segments[p] = ClockPopulation.of(off, off + pop.size(), pr, fixedPoint);
            needCurrent |= pr.biasCurrentNa() != 0;
        }
        InitialState.fill(network, v, ge, gi);
        current = needCurrent ? new float[neurons] : null;
        currentChanges = CurrentSchedule.of(network);
        projections = new ProjectionSynapses[network.projections().size()];
        int maxDelay = 1;
        for (int k = 0; k < projections.length; k++) {
            projections[k] = exchange == null
                    ? new ProjectionSynapses(network, network.projections().get(k), threadStart, fixedPoint)
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
        plastics = bindPlastic(network, exchange != null, external != null);
        externals = external == null ? new ProjectionSynapses[0] : bindExternal(network, external);
        int nodes = network.nodes().size();
        outgoing = new ProjectionSynapses[nodes][];
        nodeEnd = new int[nodes];
        for (int node = 0; node < nodes; node++) {
            final int nd = node;
            outgoing[node] = java.util.Arrays.stream(projections).filter(q -> q.sourceNode == nd)
                    .toArray(ProjectionSynapses[]::new);
            nodeEnd[node] = network.offset(node) + network.nodes().get(node).size();
        }
        input = new ClockInput(ge, gi, maxDelay, fixedPoint, ownFirst, ownEnd, spikeWindow != null);
        refractoryLeft = fixedPoint ? new int[neurons] : null;
        parts = new ClockWorker[threads];
        for (int t = 0; t < threads; t++) {
            parts[t] = new ClockWorker(t, threadStart[t], threadStart[t + 1], pops.size());
            parts[t].sink = new ExternalSink();
        }
        int sources = SourceGenerator.maxSpikes(network);
        sourceSpikes = new int[][] {new int[sources], new int[sources]};
        generators = new SourceGenerator(network);
        scratch = new int[Math.max(1, neurons + sources)];
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

    private PlasticSynapses[] bindPlastic(Network network, boolean distributed, boolean external) {
        java.util.List<PlasticSynapses> bound = new java.util.ArrayList<>();
        for (int k = 0; k < projections.length; k++) {
            org.myelin.core.network.Projection p = network.projections().get(k);
            if (p.plasticity() == null) {
                continue;
            }
            String owner = "cpu engine: projection '" + p.name() + "' is plastic (" + p.plasticity().label() + ")";
            if (fixedPoint) {
                throw new MyelinException(owner + "; fixed-point accumulation holds integer weights that cannot"
                        + " learn, use float accumulation");
            }
            if (distributed) {
                throw new MyelinException(owner + "; plastic projections cannot be distributed over ranks yet");
            }
            if (external) {
                throw new MyelinException(owner + "; synapses computed outside the engine cannot learn");
            }
            ProjectionSynapses q = projections[k];
            if (q.synapses() > 0 && (q.delaySteps != 1 || q.exactDelay != null)) {
                throw new MyelinException(owner + "; the clock engine runs plastic projections with a delay of 1"
                        + " step only (no dendritic delay), this one has delaySteps " + p.delaySteps());
            }
            q.plastic = new PlasticSynapses(p.name(), q, p.plasticity(), network.offset(p.target()),
                    network.node(p.target()).size(), threads, network.dtMs());
            bound.add(q.plastic);
        }
        return bound.toArray(PlasticSynapses[]::new);
    }

    private ProjectionSynapses[] bindExternal(Network network,
                                              java.util.function.Function<ExternalSynapses.Layout, ExternalSynapses> f) {
        java.util.List<ProjectionSynapses> bound = new java.util.ArrayList<>();
        for (int k = 0; k < projections.length; k++) {
            ProjectionSynapses q = projections[k];
            org.myelin.core.network.Projection p = network.projections().get(k);
            float[] w = q.weight != null ? q.weight.clone() : new float[q.synapses()];
            if (q.weight == null) {
                java.util.Arrays.fill(w, q.weightMv);
            }
            int[] delays = new int[q.synapses()];
            for (int s = 0; s < delays.length; s++) {
                delays[s] = q.delaySteps >= 1 ? q.delaySteps : q.delayByte != null ? q.delayByte[s] : q.delayShort[s];
            }
            ExternalSynapses e = f.apply(new ExternalSynapses.Layout(p, network.node(p.source()).size(),
                    network.offset(p.target()), network.node(p.target()).size(), q.rowStart.clone(), q.target.clone(),
                    w, delays, threadStart.clone(), network.dtMs()));
            if (e == null) {
                continue;
            }
            if (fixedPoint) {
                throw new MyelinException("projection '" + p.name() + "': synapses computed outside the engine add"
                        + " float values; fixed-point accumulation cannot take them");
            }
            q.external = e;
            bound.add(q);
            for (int r = 0; r + 1 < q.rowStart.length; r++) {
                externalRow = Math.max(externalRow, q.rowStart[r + 1] - q.rowStart[r]);
            }
        }
        return bound.toArray(ProjectionSynapses[]::new);
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
        int pop = CompiledNetwork.checkRead(net, population, variable, neurons);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        float[] src = switch (variable) {
            case "v" -> v;
            case "ge" -> ge;
            default -> gi;
        };
        double shift = src == v ? segments[pop].restingMv() : 0.0;
        int off = segments[pop].from();
        double[] out = new double[neurons.length];
        for (int j = 0; j < neurons.length; j++) {
            int g = off + neurons[j];
            if (g < ownFirst || g >= ownEnd) {
                throw new MyelinException("read: neuron " + neurons[j] + " of '" + population + "' belongs to another"
                        + " rank (this rank " + rank() + " owns global neurons [" + ownFirst + ", " + ownEnd + "))");
            }
            double scale = 1.0;
            for (ClockWorker p : parts) {
                if (g >= p.lo && g < p.hi) {
                    scale = src == ge ? p.scaleE[pop] : src == gi ? p.scaleI[pop] : 1.0;
                }
            }
            out[j] = src[g] * scale + shift;
        }
        return out;
    }

    @Override
    public org.myelin.core.backend.SynapseWeights weights(String projection) {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        for (int k = 0; k < projections.length; k++) {
            if (net.projections().get(k).name().equals(projection)) {
                ProjectionSynapses q = projections[k];
                int n = q.synapses();
                int[] src = new int[n];
                int[] tgt = new int[n];
                double[] w = new double[n];
                int tgtOff = net.offset(net.projections().get(k).target());
                for (int r = 0; r + 1 < q.rowStart.length; r++) {
                    for (int s = q.rowStart[r]; s < q.rowStart[r + 1]; s++) {
                        src[s] = r;
                        tgt[s] = q.target[s] - tgtOff;
                        w[s] = q.weight == null ? q.weightMv : q.weight[s];
                    }
                }
                return new org.myelin.core.backend.SynapseWeights(projection, src, tgt, w);
            }
        }
        throw new MyelinException("weights: no projection '" + projection + "'; projections: "
                + net.projections().stream().map(org.myelin.core.network.Projection::name).toList());
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
        prepareScales(p);
        for (PlasticSynapses ps : plastics) {
            ps.potentiate(p.index, p.spikes[prev], p.spikeCount[prev], n - 1);
        }
        if (spikeWindow == null) {
            for (ClockWorker u : parts) {
                deliver(p, u.spikes[prev], 0, u.spikeCount[prev], n - 1);
            }
            deliver(p, sourceSpikes[prev], 0, sourceSpikeCount[prev], n - 1);
            for (PlasticSynapses ps : plastics) {
                ps.bumpTargets(p.spikes[prev], p.spikeCount[prev], n - 1);
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
        int spikeCount = 0;
        CpuLifKernel.DeadList dead = p.dead;
        int oldDead = dead.count;
        int ringSlots = input.ringSlots;
        int fixedSlots = input.fixedSlots;
        float[] ringE = input.ringE;
        float[] ringI = input.ringI;
        int[] fixedE = input.fixedE;
        int[] fixedI = input.fixedI;
        int slotBase = ringSlots > 0 ? input.slot(n, ringSlots) : 0;
        for (int q = 0; q < segments.length; q++) {
            ClockPopulation s = segments[q];
            int a = Math.max(s.from(), p.lo);
            int b = Math.min(s.to(), p.hi);
            boolean lazy = s.lazy();
            if (!s.updatesAt(n)) {
                // a multi-rate population between its updates: input that arrives now waits in ge/gi
                if (fixedPoint) {
                    CpuLifKernel.holdFixed(ge, gi, fixedE, fixedI, input.slot(n, fixedSlots), a, b);
                } else if (ringSlots > 0) {
                    CpuLifKernel.drainRing(ge, ringE, a, b, slotBase, p.inverseE[q]);
                    CpuLifKernel.drainRing(gi, ringI, a, b, slotBase, p.inverseI[q]);
                }
                continue;
            }
            if (fixedPoint) {
                spikeCount = CpuLifKernel.stepFixed(v, ge, gi, refractoryLeft, fixedE, fixedI,
                        input.slot(n, fixedSlots), current, a, b, s.dv(), s.pe(), s.pi(), s.de(), s.di(), s.pc(), s.vt(),
                        s.reset(), s.subtract(), s.bySubtraction(), s.refractorySteps(), p.spikes[par], spikeCount);
                continue;
            }
            float peScaled = (float) (s.peExact() * p.scaleE[q]);
            float piScaled = (float) (s.piExact() * p.scaleI[q]);
            // blocks small enough for L1, so the threshold scan reads what integration just wrote
            for (int from = a; from < b; from += BLOCK) {
                int to = Math.min(b, from + BLOCK);
                if (ringSlots > 0) {
                    CpuLifKernel.drainRing(ge, ringE, from, to, slotBase, p.inverseE[q]);
                    CpuLifKernel.drainRing(gi, ringI, from, to, slotBase, p.inverseI[q]);
                }
                if (lazy && current == null) {
                    CpuLifKernel.integrateLazy(v, ge, gi, from, to, s.dv(), s.dvLo(), peScaled, piScaled);
                } else if (lazy) {
                    CpuLifKernel.integrateLazyWithCurrent(v, ge, gi, current, from, to, s.dv(), s.dvLo(), peScaled, piScaled,
                            s.pc());
                } else if (current == null) {
                    CpuLifKernel.integrate(v, ge, gi, from, to, s.dv(), s.dvLo(), s.pe(), s.pi(), s.de(), s.di());
                } else {
                    CpuLifKernel.integrateWithCurrent(v, ge, gi, current, from, to, s.dv(), s.dvLo(), s.pe(), s.pi(), s.de(), s.di(),
                            s.pc());
                }
                spikeCount = CpuLifKernel.threshold(v, refractory, from, to, s.vt(), s.reset(), s.subtract(),
                        s.bySubtraction(), s.refractorySteps(), p.spikes[par], spikeCount, dead);
            }
        }
        dead.restore(v, refractory, oldDead);
        p.spikeCount[par] = spikeCount;
        if (spikeWindow != null) {
            spikeWindow.keep(p.index, p.spikes[par], spikeCount);
        }
        for (int q = 0; q < segments.length; q++) {
            if (segments[q].lazy() && segments[q].updatesAt(n)) {
                p.scaleE[q] *= segments[q].deExact();
                p.scaleI[q] *= segments[q].diExact();
            }
        }
        if (samples.length > 0) {
            sample(p, n, par);
        }
        if (t == 0 && sourceSpikes[0].length > 0) {
            generateSources(n, par);
        }
        if (t == 0 && spikeWindow != null) {
            spikeWindow.keepSources(sourceSpikes[par], sourceSpikeCount[par]);
        }
    }

    /**
     * Folds a lazy scale that has decayed below {@link #RESCALE_BELOW} back into the worker's own synaptic
     * variables, and sets the inverse scales that input of this step is multiplied by. Depends only on the
     * step count, so every worker and every thread count does the same.
     */
    private void prepareScales(ClockWorker p) {
        for (int q = 0; q < segments.length; q++) {
            ClockPopulation s = segments[q];
            if (!s.lazy()) {
                p.inverseE[q] = 1f;
                p.inverseI[q] = 1f;
                continue;
            }
            int a = Math.max(s.from(), p.lo);
            int b = Math.min(s.to(), p.hi);
            if (p.scaleE[q] < RESCALE_BELOW) {
                CpuLifKernel.rescale(ge, a, b, (float) p.scaleE[q]);
                p.scaleE[q] = 1.0;
            }
            if (p.scaleI[q] < RESCALE_BELOW) {
                CpuLifKernel.rescale(gi, a, b, (float) p.scaleI[q]);
                p.scaleI[q] = 1.0;
            }
            p.inverseE[q] = (float) (1.0 / p.scaleE[q]);
            p.inverseI[q] = (float) (1.0 / p.scaleI[q]);
        }
    }

    /** Delivers spikes {@code list[first, first + count)} (global indices, ascending) of step spikeStep to p's targets. */
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

    /** Adds an external projection's sums for one worker, as {@link ClockInput#addValue} adds them. */
    final class ExternalSink implements ExternalSynapses.Sink {
        private boolean inhibitory;
        private float scale;
        private long spikeStep;

        void aim(ProjectionSynapses q, ClockWorker p, long step) {
            inhibitory = q.inhibitory;
            scale = q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation];
            spikeStep = step;
        }

        @Override
        public void add(int target, int delay, float value) {
            input.addValue(inhibitory, target, delay, value, spikeStep, scale);
        }
    }

    private void updateCurrents(ClockWorker p, long n) {
        InitialState.currents(net, n, current, p.lo, p.hi);
    }

    private void sample(ClockWorker p, long n, int par) {
        StateMonitor[] sm = rec.stateMonitors();
        for (int k = 0; k < sm.length; k++) {
            if (!rec.samples(k, n)) {
                continue;
            }
            int pop = rec.statePopulation(k);
            int off = segments[pop].from();
            float[] src = switch (sm[k].variable()) {
                case "v" -> v;
                case "ge" -> ge;
                default -> gi;
            };
            double shift = src == v ? segments[pop].restingMv() : 0.0;
            double scale = src == ge ? p.scaleE[pop] : src == gi ? p.scaleI[pop] : 1.0;
            int[] idx = sm[k].neurons();
            double[] out = samples[k][par];
            for (int j = 0; j < idx.length; j++) {
                int g = off + idx[j];
                if (g >= p.lo && g < p.hi) {
                    out[j] = src[g] * scale + shift;
                }
            }
        }
    }

    private void generateSources(long n, int par) {
        sourceSpikeCount[par] = generators.spikes(n, sourceSpikes[par], 0);
    }

    /**
     * Copies the spikes of the step of parity {@code par} into {@code into} as one ascending list (the workers own
     * ascending ranges, the generators follow the neurons); returns their count.
     */
    private int stepSpikes(int par, int[] into) {
        int c = 0;
        for (ClockWorker p : parts) {
            System.arraycopy(p.spikes[par], 0, into, c, p.spikeCount[par]);
            c += p.spikeCount[par];
        }
        System.arraycopy(sourceSpikes[par], 0, into, c, sourceSpikeCount[par]);
        return c + sourceSpikeCount[par];
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
     * Writes the state between two steps: the owned neurons' variables, refractory state, lazy scales, ring buffers
     * and currents, and the spikes not yet delivered: in one process the last step's (per-worker lists merged, so a
     * checkpoint can be restored with any thread count), distributed the gathered window (the same on every rank)
     * with the rank's place. Each rank of a distributed run writes its own part; the same rank of a run with as many
     * ranks restores it.
     */
    @Override
    public Checkpoint snapshot() {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Checkpoint c = CpuEngineModes.begin(fixedPoint ? CpuEngineModes.CLOCK_FIXED : CpuEngineModes.CLOCK_FLOAT, net,
                step);
        int owned = ownEnd - ownFirst;
        c.put("u", java.util.Arrays.copyOfRange(v, ownFirst, ownEnd));
        c.put("ge", java.util.Arrays.copyOfRange(ge, ownFirst, ownEnd));
        c.put("gi", java.util.Arrays.copyOfRange(gi, ownFirst, ownEnd));
        byte[] dead = new byte[owned];
        for (int i = 0; i < owned; i++) {
            dead[i] = (byte) (refractory[ownFirst + i] ? 1 : 0);
        }
        c.put("refractory", dead);
        int total = 0;
        for (ClockWorker p : parts) {
            total += p.dead.count;
        }
        int[] di = new int[total];
        float[] dh = new float[total];
        int[] dl = new int[total];
        int k = 0;
        for (ClockWorker p : parts) {
            for (int r = 0; r < p.dead.count; r++, k++) {
                di[k] = p.dead.index[r];
                dh[k] = p.dead.hold[r];
                dl[k] = p.dead.left[r];
            }
        }
        c.put("dead.index", di).put("dead.hold", dh).put("dead.left", dl);
        c.put("scaleE", parts[0].scaleE).put("scaleI", parts[0].scaleI);
        input.save(c);
        for (int x = 0; x < plastics.length; x++) {
            plastics[x].save(c, x);
        }
        if (fixedPoint) {
            c.put("refractoryLeft", java.util.Arrays.copyOfRange(refractoryLeft, ownFirst, ownEnd));
        }
        if (current != null) {
            c.put("current", java.util.Arrays.copyOfRange(current, ownFirst, ownEnd));
        }
        if (spikeWindow == null) {
            int[] last = new int[scratch.length];
            CheckpointFrame.putPending(c, last, stepSpikes((int) ((step - 1) & 1), last));
        } else {
            spikeWindow.save(c, step, ownFirst, ownEnd);
        }
        return c;
    }

    /**
     * Replaces the state with a checkpoint of this network (distributed: this rank's part); everything is checked
     * before anything changes.
     */
    @Override
    public void restore(Checkpoint c) {
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        CpuEngineModes.require(c, net, fixedPoint ? CpuEngineModes.CLOCK_FIXED : CpuEngineModes.CLOCK_FLOAT);
        if (spikeWindow == null && c.has("rank")) {
            throw new MyelinException("restore: this checkpoint is one rank's part of a distributed run; restore it in"
                    + " a distributed run with the same number of ranks");
        }
        if (spikeWindow != null) {
            spikeWindow.requirePart(c, ownFirst, ownEnd);
        }
        int owned = ownEnd - ownFirst;
        int pops = segments.length;
        float[] cu = c.floats("u", owned);
        float[] cge = c.floats("ge", owned);
        float[] cgi = c.floats("gi", owned);
        byte[] cref = c.bytes("refractory", owned);
        int[] di = c.ints("dead.index");
        float[] dh = c.floats("dead.hold", di.length);
        int[] dl = c.ints("dead.left", di.length);
        double[] se = c.doubles("scaleE", pops);
        double[] si = c.doubles("scaleI", pops);
        ClockInput.Rings rings = input.read(c);
        PlasticSynapses.Saved[] learned = new PlasticSynapses.Saved[plastics.length];
        for (int k = 0; k < plastics.length; k++) {
            learned[k] = plastics[k].read(c, k);
        }
        int[] crl = fixedPoint ? c.ints("refractoryLeft", owned) : null;
        float[] ccur = current != null ? c.floats("current", owned) : null;
        for (int i : di) {
            if (i < ownFirst || i >= ownEnd) {
                throw new MyelinException("checkpoint: dead-list neuron " + i + " is out of range" + (spikeWindow == null
                        ? "" : " of this rank's neurons"));
            }
        }
        int[] lastNeurons = null;
        int[] lastSources = null;
        SpikeWindow.Pending pending = null;
        if (spikeWindow == null) {
            int[] last = CheckpointFrame.pending(c, net);
            int split = 0;
            while (split < last.length && last[split] < neurons) {
                split++;
            }
            lastNeurons = java.util.Arrays.copyOfRange(last, 0, split);
            lastSources = java.util.Arrays.copyOfRange(last, split, last.length);
        } else {
            pending = spikeWindow.read(c);
        }
        // apply
        System.arraycopy(cu, 0, v, ownFirst, owned);
        System.arraycopy(cge, 0, ge, ownFirst, owned);
        System.arraycopy(cgi, 0, gi, ownFirst, owned);
        for (int i = 0; i < owned; i++) {
            refractory[ownFirst + i] = cref[i] != 0;
        }
        input.load(rings);
        for (int k = 0; k < plastics.length; k++) {
            learned[k].apply(plastics[k]);
        }
        if (fixedPoint) {
            System.arraycopy(crl, 0, refractoryLeft, ownFirst, owned);
        }
        if (ccur != null) {
            System.arraycopy(ccur, 0, current, ownFirst, owned);
        }
        step = c.step();
        int prev = (int) ((step - 1) & 1);
        for (ClockWorker p : parts) {
            p.dead.count = 0;
            for (int k = 0; k < di.length; k++) {
                if (di[k] >= p.lo && di[k] < p.hi) {
                    p.dead.add(di[k], dh[k], dl[k]);
                }
            }
            System.arraycopy(se, 0, p.scaleE, 0, pops);
            System.arraycopy(si, 0, p.scaleI, 0, pops);
            if (lastNeurons != null) {
                int n = 0;
                for (int g : lastNeurons) {
                    if (g >= p.lo && g < p.hi) {
                        p.spikes[prev][n++] = g;
                    }
                }
                p.spikeCount[prev] = n;
            }
            p.changeCursor = currentChanges.cursorAt(step);
        }
        if (lastSources != null) {
            System.arraycopy(lastSources, 0, sourceSpikes[prev], 0, lastSources.length);
            sourceSpikeCount[prev] = lastSources.length;
        }
        if (spikeWindow != null) {
            spikeWindow.load(pending, step);
        }
        generators.rewind();
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

    /**
     * The state between two steps in engine-neutral form (float clock mode only): membrane and true synaptic
     * values, the last frozen step of refractory neurons, currents, input in flight and the last step's spikes.
     */
    BoundaryState exportState() {
        requireOneProcess("exportState");
        if (fixedPoint) {
            throw new MyelinException("cpu engine: fixed-point state cannot be handed to another engine");
        }
        int[] frozen = new int[neurons];
        java.util.Arrays.fill(frozen, -1);
        for (ClockWorker p : parts) {
            for (int r = 0; r < p.dead.count; r++) {
                frozen[p.dead.index[r]] = (int) (step - 1 + p.dead.left[r]);
            }
        }
        float[] u = v.clone();
        float[] e = new float[neurons];
        float[] h = new float[neurons];
        for (ClockWorker p : parts) {
            for (int q = 0; q < segments.length; q++) {
                int a = Math.max(segments[q].from(), p.lo);
                int b = Math.min(segments[q].to(), p.hi);
                for (int i = a; i < b; i++) {
                    e[i] = (float) (ge[i] * p.scaleE[q]);
                    h[i] = (float) (gi[i] * p.scaleI[q]);
                }
            }
        }
        // delayed input: ring slot of step t holds input due in step t, for t = step .. step + ringSlots - 1
        java.util.List<long[]> delayed = new java.util.ArrayList<>();
        float[] ringE = input.ringE;
        float[] ringI = input.ringI;
        for (int d = 0; d < input.ringSlots; d++) {
            long t = step + d;
            int slot = input.slot(t, input.ringSlots);
            for (int i = 0; i < neurons; i++) {
                if (ringE[slot + i] != 0f) {
                    delayed.add(new long[] {t, i, Float.floatToRawIntBits(ringE[slot + i])});
                }
                if (ringI[slot + i] != 0f) {
                    delayed.add(new long[] {t, -i - 1, Float.floatToRawIntBits(ringI[slot + i])});
                }
            }
        }
        int[] all = new int[scratch.length];
        int[] last = java.util.Arrays.copyOf(all, stepSpikes((int) ((step - 1) & 1), all));
        return new BoundaryState(step, u, e, h, frozen, current == null ? null : current.clone(), delayed, last);
    }

    private void requireOneProcess(String what) {
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
