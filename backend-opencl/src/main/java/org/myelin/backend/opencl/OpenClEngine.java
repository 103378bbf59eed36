package org.myelin.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueMarkerWithWaitList;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clFlush;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clReleaseProgram;
import static org.jocl.CL.clSetKernelArg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.myelin.core.backend.FixedPoint;
import org.myelin.core.backend.InitialState;
import org.myelin.core.connect.ParallelExpansion;
import org.myelin.core.engine.CurrentSchedule;
import org.myelin.core.model.Propagators;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.Network;
import org.myelin.core.network.PoissonSource;
import org.myelin.core.network.Population;
import org.myelin.core.network.Projection;
import org.myelin.core.network.SpikeSource;
import org.myelin.core.network.SpikeTrainSource;
import org.myelin.core.random.CounterRandom;

/**
 * A network on one OpenCL device. All state lives on the device; the host only enqueues kernels and, once
 * per batch of steps, reads back the spikes and samples the recording asks for. One step {@code n}:
 * {@code update_all} (ring slot n drained, integrate, threshold, reset, spikes appended),
 * {@code poisson} / {@code train} per spike source, then {@code deliver} (integer atomics into ring slot
 * n + delay). The queue is in order, so no step waits for the host.
 */
final class OpenClEngine implements CompiledNetwork {
    /** Work-group sizes and delivery groups per compute unit; tunable for experiments through the environment. */
    private static final int LOCAL = tuning("MYELIN_OPENCL_LOCAL", 64);
    private static final int DELIVER_LOCAL = tuning("MYELIN_OPENCL_DELIVER_LOCAL", 32);
    private static final int COMPACT_LOCAL = 64;
    private static final int DELIVER_PER_UNIT = tuning("MYELIN_OPENCL_DELIVER_GROUPS_PER_UNIT", 32);

    private static int tuning(String name, int fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x < 1 || x > 1024) {
                throw new MyelinException(name + " must be in [1, 1024], was " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new MyelinException(name + " must be an integer, was '" + v + "'");
        }
    }
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
    private final List<cl_mem> buffers = new ArrayList<>();
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
    private final cl_mem[] trains;
    private final int[] trainCursor;
    private final long[] poissonThreshold;
    private final int[] sourceStream;
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
    /** Host memory the spike lists of a batch are read into (direct, as non-blocking reads need). */
    private java.nio.ByteBuffer readArea;

    OpenClEngine(Network network, OpenClDevices.Device device) {
        this.net = network;
        this.device = device;
        this.neurons = network.neuronCount();
        this.rows = neurons + network.sourceCount();
        // synapses: one CSR over all rows, merged across projections (atomics make the order irrelevant)
        long[] counts = new long[rows + 1];
        int maxDelay = 1;
        boolean constantDelay = true;
        int firstDelay = -1;
        java.util.List<ParallelExpansion> expansions = new java.util.ArrayList<>();
        for (Projection p : network.projections()) {
            int off = network.offset(p.source());
            ParallelExpansion e = new ParallelExpansion(network, p);
            expansions.add(e);
            for (int r = 0; r < e.rows(); r++) {
                counts[off + r + 1] += e.count(r);
            }
            if (!p.delaySteps().isConstant() || p.rule() instanceof org.myelin.core.connect.Connectivity.Explicit) {
                constantDelay = false;
            } else {
                int d = (int) Math.round(p.delaySteps().min());
                constantDelay &= firstDelay < 0 || firstDelay == d;
                firstDelay = d;
            }
        }
        // one weight per row when every source's projections share one constant weight (CUBA); else per synapse
        boolean perRowWeight = true;
        java.util.Map<String, Double> weightOfSource = new java.util.HashMap<>();
        for (Projection p : network.projections()) {
            if (!p.weightMv().isConstant() || p.rule() instanceof org.myelin.core.connect.Connectivity.Explicit) {
                perRowWeight = false;
                break;
            }
            Double w = weightOfSource.putIfAbsent(p.source(), p.weightMv().min());
            if (w != null && w != p.weightMv().min()) {
                perRowWeight = false;
                break;
            }
        }
        int[] rowWeights = new int[rows];
        int[] start = new int[rows + 1];
        long total = 0;
        for (int r = 0; r < rows; r++) {
            total += counts[r + 1];
            if (total > Integer.MAX_VALUE - 8) {
                throw new MyelinException("opencl backend: at most " + (Integer.MAX_VALUE - 8) + " synapses, this network"
                        + " has more");
            }
            start[r + 1] = (int) total;
        }
        synapses = total;
        int[] codes = new int[(int) total];
        int[] fill = Arrays.copyOf(start, rows);
        int[] weights = perRowWeight ? null : new int[(int) total];
        short[] delays = new short[(int) total];
        for (int q = 0; q < network.projections().size(); q++) {
            Projection p = network.projections().get(q);
            int off = network.offset(p.source());
            int tgt = network.offset(p.target());
            int rec = p.receptor() == Receptor.INHIBITORY ? 1 : 0;
            String owner = "projection '" + p.name() + "'";
            int constW = perRowWeight ? FixedPoint.toFixed(p.weightMv().min(), owner) : 0;
            ParallelExpansion e = expansions.get(q);
            int[] cursor = Arrays.copyOfRange(fill, off, off + e.rows());
            e.fill(cursor, (k, a, b, w, d) -> {
                codes[k] = 2 * (tgt + b) + rec;
                if (weights != null) {
                    weights[k] = FixedPoint.toFixed(w, owner);
                } else {
                    rowWeights[off + a] = constW;
                }
                delays[k] = (short) d;
            });
            System.arraycopy(cursor, 0, fill, off, e.rows());
        }
        for (short d : delays) {
            maxDelay = Math.max(maxDelay, d);
        }
        ringSlots = maxDelay + 1;
        if ((long) ringSlots * neurons > Integer.MAX_VALUE) {
            throw new MyelinException("opencl backend: ring buffers of " + ringSlots + " slots x " + neurons
                    + " neurons exceed 2^31 entries; reduce the largest delay (" + maxDelay + " steps)");
        }
        weightMode = perRowWeight ? 1 : 0;
        constDelay = constantDelay ? Math.max(1, firstDelay) : 0;
        synapseBytes = 4L * total + (weights != null ? 4L * total : 4L * rows) + (constDelay == 0 ? 2L * total : 0)
                + 4L * (rows + 1);
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
            double el = pr.restingMv();
            int off = network.offset(p);
            params[p] = new int[] {off, off + pops.get(p).size(), pr.resetMode() == ResetMode.SUBTRACT ? 1 : 0,
                pr.refractorySteps()};
            floatParams[p] = new float[] {(float) pr.decayV(), (float) pr.excToV(), (float) pr.inhToV(),
                (float) pr.decayExc(), (float) pr.decayInh(), (float) pr.currentToV(), (float) (pr.thresholdMv() - el),
                (float) (pr.resetMv() - el), (float) pr.subtractMv()};
            needCurrent |= pr.biasCurrentNa() != 0;
        }
        hostCurrent = needCurrent ? new float[neurons] : null;
        currentChanges = CurrentSchedule.of(network);
        List<SpikeSource> sources = network.sources();
        poissonThreshold = new long[sources.size()];
        sourceStream = new int[sources.size()];
        trainCursor = new int[sources.size()];
        for (int s = 0; s < sources.size(); s++) {
            sourceStream[s] = CounterRandom.streamOf(sources.get(s).name());
            if (sources.get(s) instanceof PoissonSource ps) {
                double pSpike = ps.rateHz() * network.dtMs() / 1000.0;
                poissonThreshold[s] = (long) Math.ceil(pSpike * 0x1.0p53);
            }
        }
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
            program = clCreateProgramWithSource(context, 1, new String[] {kernelSource()}, null, null);
            try {
                clBuildProgram(program, 0, null, "-cl-std=CL1.2", null, null);
            } catch (CLException e) {
                throw new MyelinException("opencl backend: building the kernels for " + device.name() + " failed: "
                        + buildLog(), e);
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
            u = buffer(hu);
            ge = buffer(hge);
            gi = buffer(hgi);
            refractoryLeft = buffer(new int[neurons]);
            ringE = zeroInts((long) ringSlots * neurons);
            ringI = zeroInts((long) ringSlots * neurons);
            current = hostCurrent != null ? buffer(hostCurrent) : buffer(new float[1]);
            rowStart = buffer(start);
            code = total > 0 ? buffer(codes) : buffer(new int[1]);
            weight = weights != null && total > 0 ? buffer(weights) : buffer(new int[1]);
            rowWeight = perRowWeight ? buffer(rowWeights) : buffer(new int[1]);
            delay = constDelay == 0 && total > 0 ? bufferShorts(delays) : buffer(new int[1]);
            trains = new cl_mem[sources.size()];
            for (int s = 0; s < sources.size(); s++) {
                if (sources.get(s) instanceof SpikeTrainSource st && st.spikeCount() > 0) {
                    trains[s] = buffer(st.neurons());
                }
            }
            segmentEnd = buffer(ends);
            populationFloats = buffer(fAll);
            populationInts = buffer(iAll);
            deliverGroups = Math.max(1, Math.min(65536, device.computeUnits() * (device.gpu() ? DELIVER_PER_UNIT : 4)));
            spikeListBytes = Math.max(256L << 20, Math.min(2L << 30, device.globalMemoryBytes() / 32));
            allocateSpikeLists(2, 1);
        } catch (CLException e) {
            close();
            throw new MyelinException("opencl backend: " + device.name() + ": " + e.getMessage(), e);
        }
    }

    private static String kernelSource() {
        try (InputStream in = OpenClEngine.class.getResourceAsStream("myelin.cl")) {
            if (in == null) {
                throw new MyelinException("opencl backend: kernel source myelin.cl is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MyelinException("opencl backend: cannot read myelin.cl: " + e.getMessage(), e);
        }
    }

    private String buildLog() {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device.deviceId(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device.deviceId(), CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }

    private cl_mem track(cl_mem m) {
        buffers.add(m);
        return m;
    }

    private cl_mem buffer(float[] a) {
        if (a.length == 0) {
            a = new float[1];
        }
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float * a.length,
                Pointer.to(a), null));
    }

    private cl_mem buffer(int[] a) {
        if (a.length == 0) {
            a = new int[1];
        }
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_int * a.length,
                Pointer.to(a), null));
    }

    private cl_mem bufferShorts(short[] a) {
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_short * a.length,
                Pointer.to(a), null));
    }

    /** A zeroed int buffer, filled in chunks so that no host array of its size is needed. */
    private cl_mem zeroInts(long n) {
        cl_mem m = track(clCreateBuffer(context, CL_MEM_READ_WRITE, Sizeof.cl_int * Math.max(1, n), null, null));
        int chunk = (int) Math.min(n, 1 << 22);
        int[] zeros = new int[Math.max(1, chunk)];
        for (long at = 0; at < n; at += chunk) {
            long len = Math.min(chunk, n - at);
            clEnqueueWriteBuffer(queue, m, CL_TRUE, at * Sizeof.cl_int, len * Sizeof.cl_int, Pointer.to(zeros), 0, null,
                    null);
        }
        return m;
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
            release(spikes);
            release(counts);
            for (int p = 0; p < 2; p++) {
                release(staging[p]);
            }
        }
        slots = slotCount;
        spikes = track(clCreateBuffer(context, CL_MEM_READ_WRITE, (long) Sizeof.cl_int * rows * slots, null, null));
        counts = zeroInts(slots);
        stagingCapacity = Math.max(slots + 1024L, Math.min((long) rows * slots + slots, spikeListBytes / 16));
        // tests shrink it to exercise the per-step read that takes over when a batch overflows it
        stagingCapacity = Long.getLong("myelin.opencl.stagingInts", stagingCapacity);
        for (int p = 0; p < 2; p++) {
            staging[p] = track(clCreateBuffer(context, CL_MEM_READ_WRITE, Sizeof.cl_int * stagingCapacity, null, null));
        }
        if (updateAll != null) {
            setUpdateConstants();
            setDeliverConstants();
            bindVariants();
        }
    }

    private void release(cl_mem m) {
        buffers.remove(m);
        clReleaseMemObject(m);
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
                indexBuffers[k] = buffer(sm[k].neurons());
                sampleBuffers[k] = track(clCreateBuffer(context, CL_MEM_READ_WRITE,
                        (long) Sizeof.cl_float * sm[k].neurons().length * 2 * batch, null, null));
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
                        arg(compact, 0, spikes);
                        arg(compact, 1, counts);
                        arg(compact, 2, (int) (batchStart % slots));
                        arg(compact, 3, steps);
                        arg(compact, 4, slots);
                        arg(compact, 5, rows);
                        arg(compact, 6, staging[parity]);
                        argLong(compact, 7, stagingCapacity);
                        localSize[0] = COMPACT_LOCAL;
                        globalSize[0] = (long) steps * COMPACT_LOCAL;
                        clEnqueueNDRangeKernel(queue, compact, 1, null, globalSize, localSize, 0, null, done);
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
                    release(indexBuffers[k]);
                }
                if (sampleBuffers[k] != null) {
                    release(sampleBuffers[k]);
                }
            }
        }
        step = toStep;
        rec.stepsDone(toStep);
        if (profile) {
            collectTimers();
            System.err.printf(java.util.Locale.ROOT, "opencl profile: %d steps, batches of %d, enqueue %.3f s, read back"
                    + " (waiting for the device included) %.3f s; kernel time per step: update %.1f us, deliver %.1f us"
                    + " (sampled every 100th step)%n", toStep - fromStep, batch, enqueueNanos / 1e9, readNanos / 1e9,
                    kernelNanos[0] / 1e3 / Math.max(1, kernelCount[0]), kernelNanos[1] / 1e3 / Math.max(1, kernelCount[1]));
        }
    }

    private final int[] intArg = new int[1];
    private final long[] longArg = new long[1];
    private final float[] floatArg = new float[1];
    private final long[] globalSize = new long[1];
    private final long[] localSize = new long[1];

    private void arg(cl_kernel k, int i, cl_mem m) {
        clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
    }

    private void arg(cl_kernel k, int i, int v) {
        intArg[0] = v;
        clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(intArg));
    }

    private void argLong(cl_kernel k, int i, long v) {
        longArg[0] = v;
        clSetKernelArg(k, i, Sizeof.cl_ulong, Pointer.to(longArg));
    }

    private void arg(cl_kernel k, int i, float v) {
        floatArg[0] = v;
        clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(floatArg));
    }

    private void run(cl_kernel k, long items, int local) {
        runTimed(k, items, local, -1);
    }

    /** Launches k; with profiling on, every 100th step's update (slot 0) and delivery (slot 1) are timed. */
    private void runTimed(cl_kernel k, long items, int local, int timerSlot) {
        localSize[0] = local;
        globalSize[0] = Math.max(local, (items + local - 1) / local * local);
        cl_event ev = null;
        if (timerSlot >= 0 && profile && timedStep) {
            ev = new cl_event();
        }
        clEnqueueNDRangeKernel(queue, k, 1, null, globalSize, localSize, 0, null, ev);
        if (ev != null) {
            timerEvents.add(ev);
            timerSlots.add(timerSlot);
        }
    }

    private boolean timedStep;
    private final java.util.List<cl_event> timerEvents = new java.util.ArrayList<>();
    private final java.util.List<Integer> timerSlots = new java.util.ArrayList<>();
    private final long[] kernelNanos = new long[2];
    private final long[] kernelCount = new long[2];

    /** Adds the durations of finished timed kernels. */
    private void collectTimers() {
        long[] start = new long[1];
        long[] end = new long[1];
        for (int i = 0; i < timerEvents.size(); i++) {
            cl_event ev = timerEvents.get(i);
            org.jocl.CL.clWaitForEvents(1, new cl_event[] {ev});
            org.jocl.CL.clGetEventProfilingInfo(ev, org.jocl.CL.CL_PROFILING_COMMAND_START, Sizeof.cl_ulong,
                    Pointer.to(start), null);
            org.jocl.CL.clGetEventProfilingInfo(ev, org.jocl.CL.CL_PROFILING_COMMAND_END, Sizeof.cl_ulong,
                    Pointer.to(end), null);
            kernelNanos[timerSlots.get(i)] += end[0] - start[0];
            kernelCount[timerSlots.get(i)]++;
            clReleaseEvent(ev);
        }
        timerEvents.clear();
        timerSlots.clear();
    }

    /** The arguments of the update kernel that do not change from step to step. */
    private void setUpdateConstants() {
        setUpdateConstants(updateAll);
    }

    private void setUpdateConstants(cl_kernel k) {
        arg(k, 0, u);
        arg(k, 1, ge);
        arg(k, 2, gi);
        arg(k, 3, refractoryLeft);
        arg(k, 4, ringE);
        arg(k, 5, ringI);
        arg(k, 7, current);
        arg(k, 8, hostCurrent != null ? 1 : 0);
        arg(k, 9, neurons);
        arg(k, 10, params.length);
        arg(k, 11, segmentEnd);
        arg(k, 12, populationFloats);
        arg(k, 13, populationInts);
        arg(k, 14, spikes);
        arg(k, 16, counts);
    }

    private void setDeliverConstants() {
        setDeliverConstants(deliver);
    }

    private void setDeliverConstants(cl_kernel deliver) {
        arg(deliver, 0, spikes);
        arg(deliver, 2, counts);
        arg(deliver, 5, rowStart);
        arg(deliver, 6, code);
        arg(deliver, 7, weight);
        arg(deliver, 8, rowWeight);
        arg(deliver, 9, weightMode);
        arg(deliver, 10, delay);
        arg(deliver, 11, constDelay);
        arg(deliver, 12, ringE);
        arg(deliver, 13, ringI);
        arg(deliver, 15, ringSlots);
        arg(deliver, 16, neurons);
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
            arg(updateVariants[v], 6, (v % ringSlots) * neurons);
            arg(updateVariants[v], 15, (v % slots) * rows);
            arg(updateVariants[v], 17, v % slots);
            deliverVariants[v] = clCreateKernel(program, "deliver", null);
            setDeliverConstants(deliverVariants[v]);
            arg(deliverVariants[v], 1, (v % slots) * rows);
            arg(deliverVariants[v], 3, v % slots);
            arg(deliverVariants[v], 4, (v + 1) % slots);
            argLong(deliverVariants[v], 14, v);
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
        timedStep = profile && n % 100 == 0;
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
            runTimed(updateVariants[variant], neurons, LOCAL, 0);
        } else if (neurons > 0) {
            arg(updateAll, 6, (int) (n % ringSlots) * neurons);
            arg(updateAll, 15, listBase);
            arg(updateAll, 17, slot);
            runTimed(updateAll, neurons, LOCAL, 0);
        }
        List<SpikeSource> sources = net.sources();
        int pops = net.populations().size();
        for (int s = 0; s < sources.size(); s++) {
            SpikeSource src = sources.get(s);
            int offset = net.offset(pops + s);
            if (src instanceof PoissonSource ps) {
                if (poissonThreshold[s] == 0) {
                    continue;
                }
                argLong(poisson, 0, net.seed());
                arg(poisson, 1, sourceStream[s]);
                argLong(poisson, 2, n);
                argLong(poisson, 3, poissonThreshold[s]);
                arg(poisson, 4, offset);
                arg(poisson, 5, ps.size());
                arg(poisson, 6, spikes);
                arg(poisson, 7, listBase);
                arg(poisson, 8, counts);
                arg(poisson, 9, slot);
                run(poisson, ps.size(), LOCAL);
            } else if (src instanceof SpikeTrainSource st) {
                int k = trainCursor[s];
                long[] at = st.steps();
                while (k < at.length && at[k] < n) {
                    k++;
                }
                int first = k;
                while (k < at.length && at[k] == n) {
                    k++;
                }
                trainCursor[s] = k;
                if (k > first) {
                    arg(train, 0, trains[s]);
                    arg(train, 1, first);
                    arg(train, 2, k - first);
                    arg(train, 3, offset);
                    arg(train, 4, spikes);
                    arg(train, 5, listBase);
                    arg(train, 6, counts);
                    arg(train, 7, slot);
                    run(train, k - first, LOCAL);
                }
            }
        }
        if (variant >= 0) {
            runTimed(deliverVariants[variant], (long) deliverGroups * DELIVER_LOCAL, DELIVER_LOCAL, 1);
            return;
        }
        arg(deliver, 1, listBase);
        arg(deliver, 3, slot);
        arg(deliver, 4, nextSlot);
        argLong(deliver, 14, n);
        runTimed(deliver, (long) deliverGroups * DELIVER_LOCAL, DELIVER_LOCAL, 1);
    }

    private void enqueueSample(StateMonitor m, int pop, cl_mem index, cl_mem out, int row) {
        cl_mem src = switch (m.variable()) {
            case "v" -> u;
            case "ge" -> ge;
            default -> gi;
        };
        arg(sample, 0, src);
        arg(sample, 1, index);
        arg(sample, 2, net.offset(pop));
        arg(sample, 3, m.neurons().length);
        arg(sample, 4, out);
        arg(sample, 5, row * m.neurons().length);
        run(sample, m.neurons().length, LOCAL);
    }

    /** Reads the spikes and samples of a finished batch on the read queue and reports them in step order. */
    private void readBack(Recording.Bound rec, Pending batchDone, long advanceFrom, boolean spikesWanted,
                          StateMonitor[] sm, int[] monitorPopulation, cl_mem[] sampleBuffers) {
        long r0 = profile ? System.nanoTime() : 0;
        long from = batchDone.from();
        long to = batchDone.to();
        cl_event[] after = {batchDone.done()};
        int steps = (int) (to - from);
        int[] stepCounts = new int[steps];
        if (spikesWanted) {
            clEnqueueReadBuffer(readQueue, staging[batchDone.parity()], CL_TRUE, 0, (long) Sizeof.cl_int * steps,
                    Pointer.to(stepCounts), 1, after, null);
        }
        int rowBase = (int) ((from - advanceFrom) % (2L * batch));
        float[][] samples = new float[sm.length][];
        for (int k = 0; k < sm.length; k++) {
            int m = sm[k].neurons().length;
            samples[k] = new float[steps * m];
            clEnqueueReadBuffer(readQueue, sampleBuffers[k], CL_TRUE, (long) Sizeof.cl_float * rowBase * m,
                    (long) Sizeof.cl_float * samples[k].length, Pointer.to(samples[k]), 1, after, null);
        }
        int total = 0;
        int[] at = new int[steps + 1];
        if (spikesWanted) {
            for (int j = 0; j < steps; j++) {
                at[j] = total;
                total += stepCounts[j];
            }
        }
        at[steps] = total;
        int[] all = new int[Math.max(1, total)];
        if (total > 0 && steps + (long) total <= stagingCapacity) {
            clEnqueueReadBuffer(readQueue, staging[batchDone.parity()], CL_TRUE, (long) Sizeof.cl_int * steps,
                    (long) Sizeof.cl_int * total, Pointer.to(all), 1, after, null);
        } else if (total > 0) {
            // more spikes than the packed buffer holds: read each step's list where the kernels left it (the
            // slots of this batch are not written again before the batch after next)
            if (readArea == null || readArea.capacity() < 4L * total) {
                readArea = java.nio.ByteBuffer.allocateDirect(Math.max(1 << 16, 4 * total * 2))
                        .order(java.nio.ByteOrder.nativeOrder());
            }
            for (long n = from; n < to; n++) {
                int c = stepCounts[(int) (n - from)];
                if (c > 0) {
                    clEnqueueReadBuffer(readQueue, spikes, false, (long) Sizeof.cl_int * (n % slots) * rows,
                            (long) Sizeof.cl_int * c,
                            Pointer.toBuffer(readArea).withByteOffset((long) Sizeof.cl_int * at[(int) (n - from)]),
                            1, after, null);
                }
            }
            clFinish(readQueue);
            readArea.asIntBuffer().get(all, 0, total);
        }
        clReleaseEvent(batchDone.done());
        for (long n = from; n < to; n++) {
            if (spikesWanted) {
                int a = at[(int) (n - from)];
                int c = at[(int) (n - from) + 1] - a;
                if (c > 0) {
                    Arrays.sort(all, a, a + c);
                    rec.stepSpikes(n, all, a, c);
                }
            }
            for (int k = 0; k < sm.length; k++) {
                if (rec.samples(k, n)) {
                    int m = sm[k].neurons().length;
                    double[] values = new double[m];
                    boolean v = sm[k].variable().equals("v");
                    double shift = v ? net.populations().get(monitorPopulation[k]).model().membrane().restingMv() : 0.0;
                    int base = (int) (n - from) * m;
                    for (int j = 0; j < m; j++) {
                        values[j] = samples[k][base + j] * 1.0 + shift;
                    }
                    rec.state(k, n, values);
                }
            }
        }
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
        for (cl_mem m : buffers) {
            clReleaseMemObject(m);
        }
        buffers.clear();
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
