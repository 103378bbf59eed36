package org.myelin.backend.cpu;

import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CheckpointFrame;

/**
 * The clock engine's state in and out: checkpoints (snapshot and restore, the framing of {@link CpuEngineModes} and
 * {@link CheckpointFrame}, then the engine's own sections) and the engine-neutral {@link BoundaryState} the automatic
 * mode hands to the event-driven 
 */
final class CpuEngineState {
    private CpuEngineState() {
    }

    /**
     * Writes the state between two steps: the owned neurons' variables, refractory state, lazy scales, ring buffers
     * and currents, and the spikes not yet delivered: in one process the last step's (per-worker lists merged, so a
     * checkpoint can be restored with any thread count), distributed the gathered window (the same on every rank)
     * with the rank's place. Each rank of a distributed run writes its own part; the same rank of a run with as many
     * ranks restores it.
     */
    static Checkpoint snapshot(CpuEngine engine) {
        if (engine.closed) {
            throw new MyelinException("this compiled network is closed");
        }
        Checkpoint c = CpuEngineModes.begin(engine.fixedPoint ? CpuEngineModes.CLOCK_FIXED : CpuEngineModes.CLOCK_FLOAT, engine.net,
                engine.step);
        int owned = engine.ownEnd - engine.ownFirst;
        c.put("u", java.util.Arrays.copyOfRange(engine.v, engine.ownFirst, engine.ownEnd));
        c.put("ge", java.util.Arrays.copyOfRange(engine.ge, engine.ownFirst, engine.ownEnd));
        c.put("gi", java.util.Arrays.copyOfRange(engine.gi, engine.ownFirst, engine.ownEnd));
        byte[] dead = new byte[owned];
        for (int i = 0; i < owned; i++) {
            dead[i] = (byte) (engine.refractory[engine.ownFirst + i] ? 1 : 0);
        }
        c.put("refractory", dead);
        int total = 0;
        for (ClockWorker p : engine.parts) {
            total += p.dead.count;
        }
        int[] di = new int[total];
        float[] dh = new float[total];
        int[] dl = new int[total];
        int k = 0;
        for (ClockWorker p : engine.parts) {
            for (int r = 0; r < p.dead.count; r++, k++) {
                di[k] = p.dead.index[r];
                dh[k] = p.dead.hold[r];
                dl[k] = p.dead.left[r];
            }
        }
        c.put("dead.index", di).put("dead.hold", dh).put("dead.left", dl);
        c.put("scaleE", engine.parts[0].scaleE).put("scaleI", engine.parts[0].scaleI);
        engine.input.save(c);
        if (engine.input.ringSlots > 0) {
            // which float ring slots of which population hold input (any worker's), so a restore copies only those
            byte[] flags = new byte[engine.parts[0].ringDirty.length];
            for (ClockWorker p : engine.parts) {
                for (int f = 0; f < flags.length; f++) {
                    flags[f] |= (byte) (p.ringDirty[f] ? 1 : 0);
                }
            }
            c.put("ringDirty", flags);
        }
        for (int x = 0; x < engine.plastics.length; x++) {
            engine.plastics[x].save(c, x);
        }
        if (engine.fixedPoint) {
            c.put("refractoryLeft", java.util.Arrays.copyOfRange(engine.refractoryLeft, engine.ownFirst, engine.ownEnd));
        }
        if (engine.current != null) {
            c.put("current", java.util.Arrays.copyOfRange(engine.current, engine.ownFirst, engine.ownEnd));
        }
        if (engine.spikeWindow == null) {
            int[] last = new int[engine.scratch.length];
            CheckpointFrame.putPending(c, last, engine.stepSpikes((int) ((engine.step - 1) & 1), last));
        } else {
            engine.spikeWindow.save(c, engine.step, engine.ownFirst, engine.ownEnd);
        }
        return c;
    }

    /**
     * Replaces the state with a checkpoint of this network (distributed: this rank's part); everything is checked
     * before anything changes.
     */
    static void restore(CpuEngine engine, Checkpoint c) {
        if (engine.closed) {
            throw new MyelinException("this compiled network is closed");
        }
        CpuEngineModes.require(c, engine.net, engine.fixedPoint ? CpuEngineModes.CLOCK_FIXED : CpuEngineModes.CLOCK_FLOAT);
        if (engine.spikeWindow == null && c.has("rank")) {
            throw new MyelinException("restore: this checkpoint is one rank's part of a distributed run; restore it in"
                    + " a distributed run with the same number of ranks");
        }
        if (engine.spikeWindow != null) {
            engine.spikeWindow.requirePart(c, engine.ownFirst, engine.ownEnd);
        }
        int owned = engine.ownEnd - engine.ownFirst;
        int pops = engine.segments.length;
        float[] cu = c.floats("u", owned);
        float[] cge = c.floats("ge", owned);
        float[] cgi = c.floats("gi", owned);
        byte[] cref = c.bytes("refractory", owned);
        int[] di = c.ints("dead.index");
        float[] dh = c.floats("dead.hold", di.length);
        int[] dl = c.ints("dead.left", di.length);
        double[] se = c.doubles("scaleE", pops);
        double[] si = c.doubles("scaleI", pops);
        ClockInput.Rings rings = engine.input.read(c);
        PlasticSynapses.Saved[] learned = new PlasticSynapses.Saved[engine.plastics.length];
        for (int k = 0; k < engine.plastics.length; k++) {
            learned[k] = engine.plastics[k].read(c, k);
        }
        int[] crl = engine.fixedPoint ? c.ints("refractoryLeft", owned) : null;
        float[] ccur = engine.current != null ? c.floats("current", owned) : null;
        for (int i : di) {
            if (i < engine.ownFirst || i >= engine.ownEnd) {
                throw new MyelinException("checkpoint: dead-list neuron " + i + " is out of range" + (engine.spikeWindow == null
                        ? "" : " of this rank's neurons"));
            }
        }
        int[] lastNeurons = null;
        int[] lastSources = null;
        SpikeWindow.Pending pending = null;
        if (engine.spikeWindow == null) {
            int[] last = CheckpointFrame.pending(c, engine.net);
            int split = 0;
            while (split < last.length && last[split] < engine.neurons) {
                split++;
            }
            lastNeurons = java.util.Arrays.copyOfRange(last, 0, split);
            lastSources = java.util.Arrays.copyOfRange(last, split, last.length);
        } else {
            pending = engine.spikeWindow.read(c);
        }
        // apply
        System.arraycopy(cu, 0, engine.v, engine.ownFirst, owned);
        System.arraycopy(cge, 0, engine.ge, engine.ownFirst, owned);
        System.arraycopy(cgi, 0, engine.gi, engine.ownFirst, owned);
        for (int i = 0; i < owned; i++) {
            engine.refractory[engine.ownFirst + i] = cref[i] != 0;
        }
        boolean[] holding = null;
        if (engine.input.ringSlots > 0 && c.has("ringDirty")) {
            byte[] f = c.bytes("ringDirty", engine.parts[0].ringDirty.length);
            holding = new boolean[f.length];
            boolean[] now = new boolean[f.length];
            for (int k = 0; k < f.length; k++) {
                holding[k] = f[k] != 0;
                for (ClockWorker p : engine.parts) {
                    now[k] |= p.ringDirty[k];
                }
            }
            engine.input.load(rings, holding, now, engine.segments);
        } else {
            engine.input.load(rings);
        }
        for (int k = 0; k < engine.plastics.length; k++) {
            learned[k].apply(engine.plastics[k]);
        }
        if (engine.fixedPoint) {
            System.arraycopy(crl, 0, engine.refractoryLeft, engine.ownFirst, owned);
        }
        if (ccur != null) {
            System.arraycopy(ccur, 0, engine.current, engine.ownFirst, owned);
        }
        engine.step = c.step();
        int prev = (int) ((engine.step - 1) & 1);
        for (ClockWorker p : engine.parts) {
            p.dead.count = 0;
            for (int k = 0; k < di.length; k++) {
                if (di[k] >= p.lo && di[k] < p.hi) {
                    p.dead.add(di[k], dh[k], dl[k]);
                }
            }
            // the rings were loaded: the slots the checkpoint marks (every slot, without marks) may hold input
            if (holding != null) {
                System.arraycopy(holding, 0, p.ringDirty, 0, holding.length);
            } else {
                java.util.Arrays.fill(p.ringDirty, true);
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
            p.changeCursor = engine.currentChanges.cursorAt(engine.step);
        }
        if (lastSources != null) {
            engine.sources.load(prev, lastSources);
        }
        if (engine.carried != null) {
            // what membrane projections deliver next is v as the last step left it (the checkpoint's u); before the
            // first step, nothing
            if (engine.step > 0) {
                System.arraycopy(engine.v, 0, engine.carried[prev], 0, engine.neurons);
            } else {
                java.util.Arrays.fill(engine.carried[prev], 0f);
            }
        }
        if (engine.spikeWindow != null) {
            engine.spikeWindow.load(pending, engine.step);
        }
        engine.sources.rewind();
    }

    /**
     * The state between two steps in engine-neutral form (float clock mode only): membrane and true synaptic
     * values, the last frozen step of refractory neurons, currents, input in flight and the last step's spikes.
     */
    static BoundaryState export(CpuEngine engine) {
        engine.requireOneProcess("exportState");
        if (engine.fixedPoint) {
            throw new MyelinException("cpu engine: fixed-point state cannot be handed to another engine");
        }
        int[] frozen = new int[engine.neurons];
        java.util.Arrays.fill(frozen, -1);
        for (ClockWorker p : engine.parts) {
            for (int r = 0; r < p.dead.count; r++) {
                frozen[p.dead.index[r]] = (int) (engine.step - 1 + p.dead.left[r]);
            }
        }
        float[] u = engine.v.clone();
        float[] e = new float[engine.neurons];
        float[] h = new float[engine.neurons];
        for (ClockWorker p : engine.parts) {
            for (int q = 0; q < engine.segments.length; q++) {
                int a = Math.max(engine.segments[q].from(), p.lo);
                int b = Math.min(engine.segments[q].to(), p.hi);
                for (int i = a; i < b; i++) {
                    e[i] = (float) (engine.ge[i] * p.scaleE[q]);
                    h[i] = (float) (engine.gi[i] * p.scaleI[q]);
                }
            }
        }
        // delayed input: ring slot of step t holds input due in step t, for t = step .. step + ringSlots - 1
        java.util.List<long[]> delayed = new java.util.ArrayList<>();
        float[] ringE = engine.input.ringE;
        float[] ringI = engine.input.ringI;
        for (int d = 0; d < engine.input.ringSlots; d++) {
            long t = engine.step + d;
            int slot = engine.input.slot(t, engine.input.ringSlots);
            for (int i = 0; i < engine.neurons; i++) {
                if (ringE[slot + i] != 0f) {
                    delayed.add(new long[] {t, i, Float.floatToRawIntBits(ringE[slot + i])});
                }
                if (ringI[slot + i] != 0f) {
                    delayed.add(new long[] {t, -i - 1, Float.floatToRawIntBits(ringI[slot + i])});
                }
            }
        }
        int[] all = new int[engine.scratch.length];
        int[] last = java.util.Arrays.copyOf(all, engine.stepSpikes((int) ((engine.step - 1) & 1), all));
        return new BoundaryState(engine.step, u, e, h, frozen, engine.current == null ? null : engine.current.clone(), delayed, last);
    }

    /** {@link CpuEngine#write}: v of neurons of a population between steps. */
    static void write(CpuEngine e, String population, int[] neurons, double[] vMv) {
        int pop = org.myelin.core.backend.CompiledNetwork.checkRead(e.net, population, "v", neurons);
        if (e.closed) {
            throw new MyelinException("this compiled network is closed");
        }
        if (vMv.length != neurons.length) {
            throw new MyelinException("write: needs one value per neuron, got " + neurons.length + " neurons and "
                    + vMv.length + " values");
        }
        e.requireOneProcess("write");
        double rest = e.segments[pop].restingMv();
        int off = e.segments[pop].from();
        int prev = (int) ((e.step - 1) & 1);
        for (int j = 0; j < neurons.length; j++) {
            if (!Double.isFinite(vMv[j])) {
                throw new MyelinException("write: v of neuron " + neurons[j] + " must be finite, was " + vMv[j]);
            }
            int g = off + neurons[j];
            e.v[g] = (float) (vMv[j] - rest);
            if (e.carried != null && e.step > 0) {
                e.carried[prev][g] = e.v[g];
            }
        }
    }

    /** {@link CpuEngine#read}. */
    static double[] read(CpuEngine e, String population, String variable, int[] neurons) {
        int pop = org.myelin.core.backend.CompiledNetwork.checkRead(e.net, population, variable, neurons);
        if (e.closed) {
            throw new MyelinException("this compiled network is closed");
        }
        float[] src = switch (variable) {
            case "v" -> e.v;
            case "ge" -> e.ge;
            default -> e.gi;
        };
        double shift = src == e.v ? e.segments[pop].restingMv() : 0.0;
        int off = e.segments[pop].from();
        double[] out = new double[neurons.length];
        for (int j = 0; j < neurons.length; j++) {
            int g = off + neurons[j];
            if (g < e.ownFirst || g >= e.ownEnd) {
                throw new MyelinException("read: neuron " + neurons[j] + " of '" + population + "' belongs to another"
                        + " rank (this rank " + e.rank() + " owns global neurons [" + e.ownFirst + ", " + e.ownEnd + "))");
            }
            double scale = 1.0;
            for (ClockWorker p : e.parts) {
                if (g >= p.lo && g < p.hi) {
                    scale = src == e.ge ? p.scaleE[pop] : src == e.gi ? p.scaleI[pop] : 1.0;
                }
            }
            out[j] = src[g] * scale + shift;
        }
        return out;
    }
}
