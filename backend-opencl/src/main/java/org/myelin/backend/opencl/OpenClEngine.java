package org.myelin.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueMarkerWithWaitList;
import static org.jocl.CL.clFlush;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import java.util.List;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.InitialState;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.model.Propagators;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;

/**
 * A network on one OpenCL device. All state lives on the device; the host only enqueues kernels and, once
 * per batch of steps, reads back the spikes and samples the recording asks for. One step {@code n}:
 * {@code update_all} (ring slot n drained, integrate, threshold, reset, spikes appended),
 * {@code poisson} / {@code train} per spike source, then {@code deliver} (integer atomics into ring slot
 * n + delay). The queue is in order, so no step waits for the host.
 */
final class OpenClEngine implements CompiledNetwork {
    /** Work-group sizes and delivery groups per compute unit; tunable for experiments through the environment. */
    private static final int LOCAL = ClProgram.tuning("MYELIN_OPENCL_LOCAL", 64);
    private static final int DELIVER_LOCAL = ClProgram.tuning("MYELIN_OPENCL_DELIVER_LOCAL", 32);
    private static final int COMPACT_LOCAL = 64;
    private static final int DELIVER_PER_UNIT = ClProgram.tuning("MYELIN_OPENCL_DELIVER_GROUPS_PER_UNIT", 32);

    /** Bytes the batched spike lists may take on the device: 1/32 of it, between 256 MiB and 2 GiB. */
    private final long spikeListBytes;
    /** Host time spent enqueueing steps and reading batches back, when MYELIN_OPENCL_PROFILE is set. */
    private final boolean profile = System.getenv("MYELIN_OPENCL_PROFILE") != null;
    private long enqueueNanos;
    private long readNanos;

    private final Network net;
    private final OpenClDevices.Device device;
    private final int neurons;
    private final int rows;
    private final long synapses;
    private final long synapseBytes;
    private final int ringSlots;
    private final int deliverGroups;
    private final cl_context context;
    private final cl_command_queue queue;
    /** A second queue on the same device, for reading finished batches while the next one runs. */
    private final cl_command_queue readQueue;
    private final cl_program program;
    /** The update of all populations in one launch, its constant arguments set once. */
    private final cl_kernel updateAll;
    /** Pre-bound kernels per step residue (see bindVariants), or null. */
    private cl_kernel[] updateVariants;
    private cl_kernel[] deliverVariants;
    private final cl_mem segmentEnd;
    private final cl_mem populationFloats;
    private final cl_mem populationInts;
    private final cl_kernel poisson;
    private final cl_kernel train;
    private final cl_kernel deliver;
    private final cl_kernel sample;
    private final cl_kernel compact;
    private final ClMemory memory;
    private final ClLaunch launch;
    private final ClSources sources;
    private final cl_mem u;
    private final cl_mem ge;
    private final cl_mem gi;
    private final cl_mem refractoryLeft;
    private final cl_mem ringE;
    private final cl_mem ringI;
    private final cl_mem current;
    private final float[] hostCurrent;
    private final CurrentSchedule currentChanges;
    private final cl_mem rowStart;
    private final cl_mem code;
    private final cl_mem weight;
    private final cl_mem rowWeight;
    private final int weightMode;
    private final cl_mem delay;
    private final int constDelay;
    private final int[][] params;
    private final float[][] floatParams;
    private cl_mem spikes;
    private cl_mem counts;
    /**
     * Per batch parity: the batch's spike counts, then its spikes, packed by compact_batch at the batch's end.
     * Reading a finished batch from its own buffer, not from buffers the running batch writes, lets the host
     * read and report batch k while the device runs batch k + 1 (a device may order reads of a buffer after
     * every command that uses it).
     */
    private final cl_mem[] staging = new cl_mem[2];
    private long stagingCapacity;
    private int slots;
    private int batch;
    private boolean closed;
    private long step;
    private final ClBatchReader reader;

    OpenClEngine(Network network, OpenClDevices.Device device) {
        this.net = network;
        this.device = device;
        this.neurons = network.neuronCount();
        this.rows = neurons + network.sourceCount();
        ClSources.check(network);
        ClSynapses syn = new ClSynapses(network, rows, neurons);
        synapses = syn.count;
        ringSlots = syn.ringSlots;
        weightMode = syn.weightMode;
        constDelay = syn.constDelay;
        synapseBytes = syn.bytes;
        // host-side state and parameters
        float[] hu = new float[neurons];
        float[] hge = new float[neurons];
        float[] hgi = new float[neurons];
        InitialState.fill(network, hu, hge, hgi);
        List<Population> pops = network.populations();
        params = new int[pops.size()][];
        floatParams = new float[pops.size()][];
        boolean needCurrent = !network.currents().isEmpty();
        for (int p = 0; p < pops.size(); p++) {
            Propagators pr = pops.get(p).model().discretize(network.dtMs());
            if (pr.updateEvery() != 1) {
                throw new MyelinException("opencl backend: population '" + pops.get(p).name() + "' updates every "
                        + pr.updateEvery() + " steps (a multi-rate network), which the kernels do not hold; run it on"
                        + " the cpu backend");
            }
            if (pr.integration() != Propagators.Integration.LINEAR) {
                throw new MyelinException("opencl backend: population '" + pops.get(p).name() + "' takes"
                        + " SpikingJelly's LIF step (" + pr.integration() + "), which the kernels do not hold; run it on"
                        + " the cpu backend");
            }
            double el = pr.restingMv();
            int off = network.offset(p);
            params[p] = new int[] {off, off + pops.get(p).size(),
                pr.delayedReset() ? 2 : pr.resetMode() == ResetMode.SUBTRACT ? 1 : 0,
                pr.refractorySteps()};
            floatParams[p] = new float[] {(float) pr.decayV(), (float) pr.excToV(), (float) pr.inhToV(),
                (float) pr.decayExc(), (float) pr.decayInh(), (float) pr.currentToV(), (float) (pr.thresholdMv() - el),
                (float) (pr.resetMv() - el), (float) pr.subtractMv()};
            needCurrent |= pr.biasCurrentNa() != 0;
        }
        hostCurrent = needCurrent ? new float[neurons] : null;
        currentChanges = CurrentSchedule.of(network);
        // the device
        try {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
            context = clCreateContext(props, 1, new org.jocl.cl_device_id[] {device.deviceId()}, null, null, null);
            @SuppressWarnings("deprecation")
            cl_command_queue q = clCreateCommandQueue(context, device.deviceId(),
                    profile ? org.jocl.CL.CL_QUEUE_PROFILING_ENABLE : 0, null);
            queue = q;
            @SuppressWarnings("deprecation")
            cl_command_queue rq = clCreateCommandQueue(context, device.deviceId(), 0, null);
            readQueue = rq;
            reader = new ClBatchReader(network, rq);
            memory = new ClMemory(context, queue);
            launch = new ClLaunch(queue, profile);
            program = clCreateProgramWithSource(context, 1, new String[] {ClProgram.source()}, null, null);
            try {
                clBuildProgram(program, 0, null, "-cl-std=CL1.2", null, null);
            } catch (CLException e) {
                throw new MyelinException("opencl backend: building the kernels for " + device.name() + " failed: "
                        + ClProgram.buildLog(program, device.deviceId()), e);
            }
            updateAll = clCreateKernel(program, "update_all", null);
            int[] ends = new int[Math.max(1, pops.size())];
            float[] fAll = new float[Math.max(1, 9 * pops.size())];
            int[] iAll = new int[Math.max(1, 2 * pops.size())];
            for (int p = 0; p < pops.size(); p++) {
                ends[p] = params[p][1];
                System.arraycopy(floatParams[p], 0, fAll, 9 * p, 9);
                iAll[2 * p] = params[p][2];
                iAll[2 * p + 1] = params[p][3];
            }
            poisson = clCreateKernel(program, "poisson", null);
            train = clCreateKernel(program, "train", null);
            deliver = clCreateKernel(program, "deliver", null);
            sample = clCreateKernel(program, "sample", null);
            compact = clCreateKernel(program, "compact_batch", null);
            u = memory.of(hu);
            ge = memory.of(hge);
            gi = memory.of(hgi);
            refractoryLeft = memory.of(new int[neurons]);
            ringE = memory.zeroInts((long) ringSlots * neurons);
            ringI = memory.zeroInts((long) ringSlots * neurons);
            current = hostCurrent != null ? memory.of(hostCurrent) : memory.of(new float[1]);
            rowStart = memory.of(syn.start);
            code = syn.count > 0 ? memory.of(syn.codes) : memory.of(new int[1]);
            weight = syn.weights != null && syn.count > 0 ? memory.of(syn.weights) : memory.of(new int[1]);
            rowWeight = syn.weights == null ? memory.of(syn.rowWeights) : memory.of(new int[1]);
            delay = constDelay == 0 && syn.count > 0 ? memory.of(syn.delays) : memory.of(new int[1]);
            sources = new ClSources(network, memory);
            segmentEnd = memory.of(ends);
            populationFloats = memory.of(fAll);
            populationInts = memory.of(iAll);
            deliverGroups = Math.max(1, Math.min(65536, device.computeUnits() * (device.gpu() ? DELIVER_PER_UNIT : 4)));
            spikeListBytes = Math.max(256L << 20, Math.min(2L << 30, device.globalMemoryBytes() / 32));
            allocateSpikeLists(2, 1);
        } catch (CLException e) {
            close();
            throw new MyelinException("opencl backend: " + device.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Spike lists for {@code slotCount} steps (the batch plus one), each as long as all rows. Reallocating
     * between advance calls loses nothing: every step's spikes are delivered within that step.
     */
    private void allocateSpikeLists(int slotCount, int batchSteps) {
        batch = batchSteps;
        if (spikes != null && slots == slotCount) {
            return;
        }
        if (spikes != null) {
            clFinish(queue);
            memory.release(spikes);
            memory.release(counts);
            for (int p = 0; p < 2; p++) {
                memory.release(staging[p]);
            }
        }
        slots = slotCount;
        spikes = memory.bytes((long) Sizeof.cl_int * rows * slots);
        counts = memory.zeroInts(slots);
        stagingCapacity = Math.max(slots + 1024L, Math.min((long) rows * slots + slots, spikeListBytes / 16));
        // tests shrink it to exercise the per-step read that takes over when a batch overflows it
        stagingCapacity = Long.getLong("myelin.opencl.stagingInts", stagingCapacity);
        for (int p = 0; p < 2; p++) {
            staging[p] = memory.bytes(Sizeof.cl_int * stagingCapacity);
        }
        if (updateAll != null) {
            setUpdateConstants();
            setDeliverConstants();
            bindVariants();
        }
    }

    @Override
    public String device() {
        return device.name() + " (" + device.vendor() + ", OpenCL " + device.id() + ")";
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
        return synapses;
    }

    @Override
    public long synapseBytes() {
        return synapseBytes;
    }

    /** A batch of steps whose spikes and samples are still on the device. */
    private record Pending(long from, long to, int parity, cl_event done) {
    }

    /**
     * Runs the steps in batches. Two batches are in flight: while the device computes batch k + 1, a second
     * queue copies batch k's spikes and samples to the host (after batch k's event), and the host reports
     * them; batch k + 2 is enqueued only once batch k has been read, so the spike-list slots are never
     * overwritten early.
     */
    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        CompiledNetwork.checkRange(this, fromStep, toStep);
        if (closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Recording.Bound rec = recording.bind(net, fromStep);
        boolean spikesWanted = rec.wantsAnySpikes();
        StateMonitor[] sm = rec.stateMonitors();
        int maxBatch = spikesWanted || sm.length > 0
                ? (int) Math.max(1, Math.min(256, (spikeListBytes / (4L * rows) - 1) / 2)) : 1024;
        allocateSpikeLists(spikesWanted ? 2 * maxBatch + 1 : 2, maxBatch);
        cl_mem[] indexBuffers = new cl_mem[sm.length];
        cl_mem[] sampleBuffers = new cl_mem[sm.length];
        int[] monitorPopulation = new int[sm.length];
        Pending pending = null;
        try {
            for (int k = 0; k < sm.length; k++) {
                indexBuffers[k] = memory.of(sm[k].neurons());
                sampleBuffers[k] = memory.bytes((long) Sizeof.cl_float * sm[k].neurons().length * 2 * batch);
                monitorPopulation[k] = net.nodeIndex(sm[k].population());
            }
            long batchStart = fromStep;
            int parity = 0;
            for (long n = fromStep; n < toStep; n++) {
                long t0 = profile ? System.nanoTime() : 0;
                enqueueStep(n, spikesWanted);
                for (int k = 0; k < sm.length; k++) {
                    if (rec.samples(k, n)) {
                        enqueueSample(sm[k], monitorPopulation[k], indexBuffers[k], sampleBuffers[k],
                                (int) ((n - fromStep) % (2L * batch)));
                    }
                }
                if (profile) {
                    enqueueNanos += System.nanoTime() - t0;
                }
                if (n + 1 - batchStart == batch || n + 1 == toStep) {
                    cl_event done = new cl_event();
                    if (spikesWanted) {
                        int steps = (int) (n + 1 - batchStart);
                        launch.arg(compact, 0, spikes);
                        launch.arg(compact, 1, counts);
                        launch.arg(compact, 2, (int) (batchStart % slots));
                        launch.arg(compact, 3, steps);
                        launch.arg(compact, 4, slots);
                        launch.arg(compact, 5, rows);
                        launch.arg(compact, 6, staging[parity]);
                        launch.argLong(compact, 7, stagingCapacity);
                        launch.runExactly(compact, (long) steps * COMPACT_LOCAL, COMPACT_LOCAL, done);
                    } else {
                        clEnqueueMarkerWithWaitList(queue, 0, null, done);
                    }
                    clFlush(queue);
                    if (pending != null) {
                        readBack(rec, pending, fromStep, spikesWanted, sm, monitorPopulation, sampleBuffers);
                    }
                    pending = new Pending(batchStart, n + 1, parity, done);
                    parity ^= 1;
                    batchStart = n + 1;
                }
                step = n + 1;
            }
            if (pending != null) {
                readBack(rec, pending, fromStep, spikesWanted, sm, monitorPopulation, sampleBuffers);
                pending = null;
            }
            clFinish(queue);
        } catch (CLException e) {
            closed = true;
            throw new MyelinException("opencl backend: " + device.name() + " failed at step " + step + ": "
                    + e.getMessage(), e);
        } finally {
            if (pending != null) {
                clReleaseEvent(pending.done());
            }
            if (!closed) {
                clFinish(queue);
                clFinish(readQueue);
            }
            for (int k = 0; k < sm.length; k++) {
                if (indexBuffers[k] != null) {
                    memory.release(indexBuffers[k]);
                }
                if (sampleBuffers[k] != null) {
                    memory.release(sampleBuffers[k]);
                }
            }
        }
        step = toStep;
        rec.stepsDone(toStep);
        if (profile) {
            launch.collectTimers();
            System.err.printf(java.util.Locale.ROOT, "opencl profile: %d steps, batches of %d, enqueue %.3f s, read back"
                    + " (waiting for the device included) %.3f s; kernel time per step: update %.1f us, deliver %.1f us"
                    + " (sampled every 100th step)%n", toStep - fromStep, batch, enqueueNanos / 1e9, readNanos / 1e9,
                    launch.kernelNanos[0] / 1e3 / Math.max(1, launch.kernelCount[0]),
                    launch.kernelNanos[1] / 1e3 / Math.max(1, launch.kernelCount[1]));
        }
    }

    /** The arguments of the update kernel that do not change from step to step. */
    private void setUpdateConstants() {
        setUpdateConstants(updateAll);
    }

    private void setUpdateConstants(cl_kernel k) {
        launch.arg(k, 0, u);
        launch.arg(k, 1, ge);
        launch.arg(k, 2, gi);
        launch.arg(k, 3, refractoryLeft);
        launch.arg(k, 4, ringE);
        launch.arg(k, 5, ringI);
        launch.arg(k, 7, current);
        launch.arg(k, 8, hostCurrent != null ? 1 : 0);
        launch.arg(k, 9, neurons);
        launch.arg(k, 10, params.length);
        launch.arg(k, 11, segmentEnd);
        launch.arg(k, 12, populationFloats);
        launch.arg(k, 13, populationInts);
        launch.arg(k, 14, spikes);
        launch.arg(k, 16, counts);
    }

    private void setDeliverConstants() {
        setDeliverConstants(deliver);
    }

    private void setDeliverConstants(cl_kernel deliver) {
        launch.arg(deliver, 0, spikes);
        launch.arg(deliver, 2, counts);
        launch.arg(deliver, 5, rowStart);
        launch.arg(deliver, 6, code);
        launch.arg(deliver, 7, weight);
        launch.arg(deliver, 8, rowWeight);
        launch.arg(deliver, 9, weightMode);
        launch.arg(deliver, 10, delay);
        launch.arg(deliver, 11, constDelay);
        launch.arg(deliver, 12, ringE);
        launch.arg(deliver, 13, ringI);
        launch.arg(deliver, 15, ringSlots);
        launch.arg(deliver, 16, neurons);
    }

    /** Most kernel objects worth binding ahead, one per step residue. */
    private static final int MAX_VARIANTS = 4096;

    /**
     * Binds one update and one deliver kernel per residue of the step modulo lcm(spike-list slots, ring slots),
     * with every argument set, so that a step enqueues two kernels and sets no argument: on GPUs the host's
     * enqueue rate, not the device, limits networks of a million neurons. Falls back to setting arguments per
     * step when there would be more than {@value #MAX_VARIANTS} residues.
     */
    private void bindVariants() {
        releaseVariants();
        long period = lcm(slots, ringSlots);
        if (period > MAX_VARIANTS || neurons == 0) {
            return;
        }
        int p = (int) period;
        updateVariants = new cl_kernel[p];
        deliverVariants = new cl_kernel[p];
        for (int v = 0; v < p; v++) {
            updateVariants[v] = clCreateKernel(program, "update_all", null);
            setUpdateConstants(updateVariants[v]);
            launch.arg(updateVariants[v], 6, (v % ringSlots) * neurons);
            launch.arg(updateVariants[v], 15, (v % slots) * rows);
            launch.arg(updateVariants[v], 17, v % slots);
            deliverVariants[v] = clCreateKernel(program, "deliver", null);
            setDeliverConstants(deliverVariants[v]);
            launch.arg(deliverVariants[v], 1, (v % slots) * rows);
            launch.arg(deliverVariants[v], 3, v % slots);
            launch.arg(deliverVariants[v], 4, (v + 1) % slots);
            launch.argLong(deliverVariants[v], 14, v);
        }
    }

    private void releaseVariants() {
        if (updateVariants != null) {
            for (cl_kernel k : updateVariants) {
                clReleaseKernel(k);
            }
            for (cl_kernel k : deliverVariants) {
                clReleaseKernel(k);
            }
        }
        updateVariants = null;
        deliverVariants = null;
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    private void enqueueStep(long n, boolean spikesWanted) {
        launch.step(n);
        int slot = (int) (n % slots);
        int nextSlot = (int) ((n + 1) % slots);
        int listBase = slot * rows;
        if (hostCurrent != null && currentChanges.contains(n)) {
            InitialState.currents(net, n, hostCurrent);
            clEnqueueWriteBuffer(queue, current, CL_TRUE, 0, (long) Sizeof.cl_float * neurons, Pointer.to(hostCurrent), 0,
                    null, null);
        }
        int variant = updateVariants != null ? (int) (n % updateVariants.length) : -1;
        if (variant >= 0) {
            launch.runTimed(updateVariants[variant], neurons, LOCAL, 0);
        } else if (neurons > 0) {
            launch.arg(updateAll, 6, (int) (n % ringSlots) * neurons);
            launch.arg(updateAll, 15, listBase);
            launch.arg(updateAll, 17, slot);
            launch.runTimed(updateAll, neurons, LOCAL, 0);
        }
        sources.enqueue(n, launch, poisson, train, spikes, listBase, counts, slot, LOCAL);
        if (variant >= 0) {
            launch.runTimed(deliverVariants[variant], (long) deliverGroups * DELIVER_LOCAL, DELIVER_LOCAL, 1);
            return;
        }
        launch.arg(deliver, 1, listBase);
        launch.arg(deliver, 3, slot);
        launch.arg(deliver, 4, nextSlot);
        launch.argLong(deliver, 14, n);
        launch.runTimed(deliver, (long) deliverGroups * DELIVER_LOCAL, DELIVER_LOCAL, 1);
    }

    private void enqueueSample(StateMonitor m, int pop, cl_mem index, cl_mem out, int row) {
        cl_mem src = switch (m.variable()) {
            case "v" -> u;
            case "ge" -> ge;
            default -> gi;
        };
        launch.arg(sample, 0, src);
        launch.arg(sample, 1, index);
        launch.arg(sample, 2, net.offset(pop));
        launch.arg(sample, 3, m.neurons().length);
        launch.arg(sample, 4, out);
        launch.arg(sample, 5, row * m.neurons().length);
        launch.run(sample, m.neurons().length, LOCAL);
    }

    /** Reads the spikes and samples of a finished batch on the read queue and reports them in step order. */
    private void readBack(Recording.Bound rec, Pending batchDone, long advanceFrom, boolean spikesWanted,
                          StateMonitor[] sm, int[] monitorPopulation, cl_mem[] sampleBuffers) {
        long r0 = profile ? System.nanoTime() : 0;
        reader.read(rec, batchDone.from(), batchDone.to(), batchDone.done(), staging[batchDone.parity()],
                stagingCapacity, spikes, slots, rows, (int) ((batchDone.from() - advanceFrom) % (2L * batch)),
                spikesWanted, sm, monitorPopulation, sampleBuffers);
        if (profile) {
            readNanos += System.nanoTime() - r0;
        }
    }

    @Override
    public void close() {
        if (closed && context == null) {
            return;
        }
        closed = true;
        if (memory != null) {
            memory.releaseAll();
        }
        for (cl_kernel k : new cl_kernel[] {poisson, train, deliver, sample, compact}) {
            if (k != null) {
                clReleaseKernel(k);
            }
        }
        if (updateAll != null) {
            clReleaseKernel(updateAll);
        }
        releaseVariants();
        if (program != null) {
            clReleaseProgram(program);
        }
        if (queue != null) {
            clReleaseCommandQueue(queue);
        }
        if (readQueue != null) {
            clReleaseCommandQueue(readQueue);
        }
        if (context != null) {
            clReleaseContext(context);
        }
    }
}
