package org.myelin.backend.memristor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.myelin.backend.cpu.ExternalSynapses;
import org.myelin.backend.memristor.device.DeviceArray;
import org.myelin.backend.memristor.device.DeviceModel;

/**
 * One projection on crossbar tiles, in the loop of a run: the engine's synapse k is the differential pair of devices
 * 2k (G+) and 2k + 1 (G-) at row (source) and column (target) of its tile. A projection whose largest |weight| is
 * wMax programs G+ = gMin + (gMax - gMin) max(w, 0) / wMax and G- likewise for -w. At every spike the row is read:
 * each device at the run's time since programming (drifting during the run), with fresh read noise, through its
 * wire path (IR drop), and the pair gives w + ((G+ - G+target) - (G- - G-target)) wMax / (gMax - gMin) (exactly w
 * for an ideal device). Without an ADC these values go straight to the targets in the engine's order, so ideal
 * devices give the cpu engine's sums bit for bit; with an ADC each tile column sums its active rows in the current
 * domain, I = V_read (gMax - gMin) / wMax sum w, and the converted value is what the target receives.
 *
 * <p>Programming is the expensive part and depends only on the synapses, the model, the periphery and the seed, so
 * programmed projections are kept ({@link Program}, a few recent ones) and shared by every run of the same network
 * (a reservoir fed sample after sample).
 */
final class Crossbar implements ExternalSynapses {
    private final Program program;
    private final ExternalSynapses.Layout layout;
    private final long run;
    private final double startSeconds;
    private final double dtSeconds;
    private final boolean adc;
    private final double[] columnSum;
    private final boolean[][] active;
    private final long[] cellReads;
    private final long[] conversions;
    private final double[] conductanceRead;
    /** Each worker's reads at the time of its current step. */
    private final DeviceArray.Reads[] reads;
    private final long[] readsStep;

    /**
     * @param run          key of this run's read noise (runs with other keys draw independent noise)
     * @param startSeconds time since programming at step 0
     */
    Crossbar(Program program, ExternalSynapses.Layout layout, long run, double startSeconds) {
        this.program = program;
        this.layout = layout;
        this.run = run;
        this.startSeconds = startSeconds;
        this.dtSeconds = layout.dtMs() / 1000.0;
        this.adc = program.model.adcBits() > 0;
        int blocks = program.groupDelay.length * program.tileRowCount;
        columnSum = adc ? new double[blocks * layout.targetSize()] : null;
        int workers = layout.workers();
        active = new boolean[workers][blocks];
        cellReads = new long[workers];
        conversions = new long[workers];
        conductanceRead = new double[workers];
        reads = new DeviceArray.Reads[workers];
        readsStep = new long[workers];
    }

    @Override
    public boolean sumsRows() {
        return adc;
    }

    @Override
    public boolean row(int worker, long spikeStep, int row, int from, int to, float[] values) {
        Program p = program;
        int tileRow = row / p.spec.tileRows();
        cellReads[worker] += 2L * (to - from);
        if (p.groupOf == null) {
            active[worker][tileRow] = true;
        } else {
            for (int k = from; k < to; k++) {
                active[worker][p.groupOf[k] * p.tileRowCount + tileRow] = true;
            }
        }
        if (p.staticWeight != null && !adc) {
            System.arraycopy(p.staticWeight, from, values, 0, to - from);
            conductanceRead[worker] += p.conductanceBefore[to] - p.conductanceBefore[from];
            return true;
        }
        int[] target = layout.target();
        DeviceArray.Reads reads = null;
        if (p.staticWeight == null) {
            if (readsStep[worker] != spikeStep || this.reads[worker] == null) {
                this.reads[worker] = p.devices.at(startSeconds, startSeconds + spikeStep * dtSeconds);
                readsStep[worker] = spikeStep;
            }
            reads = this.reads[worker];
        }
        int base = tileRow * layout.targetSize() - layout.targetOffset();
        int groupStride = p.tileRowCount * layout.targetSize();
        double g = reads == null ? p.conductanceBefore[to] - p.conductanceBefore[from] : 0;
        long word = 0;
        for (int k = from; k < to; k++) {
            double w;
            if (reads == null) {
                w = p.staticWeight[k];
            } else {
                if (k == from || (k & 1) == 0) {
                    word = reads.word(k >>> 1, run, spikeStep); // synapses 2j and 2j + 1: devices 4j .. 4j + 3
                }
                double gp = reads.read(2 * k, word);
                double gm = reads.read(2 * k + 1, word);
                if (p.irScale != null) {
                    gp *= p.irScale[2 * k];
                    gm *= p.irScale[2 * k + 1];
                }
                g += gp + gm;
                w = p.offset[k] + (gp - gm) * p.toWeight;
            }
            if (adc) {
                columnSum[base + target[k] + (p.groupOf == null ? 0 : p.groupOf[k] * groupStride)] += w;
            } else {
                values[k - from] = (float) w;
            }
        }
        conductanceRead[worker] += g;
        return !adc;
    }

    @Override
    public void endStep(int worker, long spikeStep, ExternalSynapses.Sink sink) {
        int lo = Math.max(layout.workerStart()[worker], layout.targetOffset());
        int hi = Math.min(layout.workerStart()[worker + 1], layout.targetOffset() + layout.targetSize());
        boolean[] on = active[worker];
        for (int block = 0; block < on.length; block++) {
            if (!on[block]) {
                continue;
            }
            on[block] = false;
            if (lo >= hi) {
                continue;
            }
            conversions[worker] += hi - lo;
            if (!adc || program.toWeight == 0) {
                continue; // no ADC, or a projection of zero weights: its columns carry no current
            }
            // each column's current of this tile (and delay group) through the ADC, back to weight units
            int delay = program.groupDelay[block / program.tileRowCount];
            int base = block * layout.targetSize() - layout.targetOffset();
            double toCurrent = program.spec.readVolts() / program.toWeight;
            for (int j = lo; j < hi; j++) {
                double s = columnSum[base + j];
                columnSum[base + j] = 0;
                double read = DeviceArray.adc(program.model, s * toCurrent) / toCurrent;
                if (read != 0) {
                    sink.add(j, delay, (float) read);
                }
            }
        }
    }

    /** This projection's reads and conversions so far (runs, steps and neurons are the network's to add). */
    CrossbarReport report() {
        long reads = 0;
        long conv = 0;
        double g = 0;
        for (int w = 0; w < cellReads.length; w++) {
            reads += cellReads[w];
            conv += conversions[w];
            g += conductanceRead[w];
        }
        CrossbarSpec s = program.spec;
        // V^2 [V^2] * G [uS = 1e-6 S] * t [ns = 1e-9 s], in pJ (1e12)
        double cellPj = s.readVolts() * s.readVolts() * g * s.readNs() * 1e-3;
        return new CrossbarReport(0, 0, program.tiles, reads, conv, 0, cellPj, conv * s.adcPj(), 0, 0);
    }

    /** The programmed devices of one projection, immutable and shared by runs. */
    static final class Program {
        final DeviceModel model;
        final CrossbarSpec spec;
        final DeviceArray devices;
        final double[] targets;
        final double toWeight;
        final double[] pathOhms;
        /**
         * Reads that vary: each device's IR-drop factor 1 / (1 + G R_path) at its programmed conductance (the
         * noise of a read changes it by a part in 10^5), or null without wire resistance.
         */
        final double[] irScale;
        /** Reads that vary: w - (G+target - G-target) wMax / span, so that a read gives offset + (G+ - G-) wMax / span. */
        final double[] offset;
        final float[] staticWeight;
        /** Reads that do not vary: G+ + G- read summed over synapses 0 .. k - 1 (a row's sum is a difference). */
        final double[] conductanceBefore;
        final int tileRowCount;
        final int tiles;
        /**
         * Synapses of different delays reach the neurons at different steps, so a tile's rows are summed per delay
         * (as rows repeated once per delay would be): the delays, and each synapse's group (null: one delay).
         */
        final int[] groupDelay;
        final int[] groupOf;

        private Program(ExternalSynapses.Layout l, DeviceModel model, CrossbarSpec spec, long seed, double seconds) {
            this.model = model;
            this.spec = spec;
            float[] weight = l.weight();
            int n = weight.length;
            double wMax = 0;
            for (float w : weight) {
                wMax = Math.max(wMax, Math.abs(w));
            }
            double span = model.gMaxUs() - model.gMinUs();
            toWeight = wMax == 0 ? 0 : wMax / span;
            targets = new double[2 * n];
            for (int k = 0; k < n; k++) {
                double w = weight[k];
                targets[2 * k] = model.gMinUs() + (wMax == 0 ? 0 : span * Math.max(w, 0) / wMax);
                targets[2 * k + 1] = model.gMinUs() + (wMax == 0 ? 0 : span * Math.max(-w, 0) / wMax);
            }
            devices = new DeviceArray(model, targets, seed, l.projection().name());
            int[] distinct = java.util.Arrays.stream(l.delay()).distinct().sorted().toArray();
            groupDelay = distinct.length == 0 ? new int[] {1} : distinct;
            if (groupDelay.length > 1) {
                groupOf = new int[n];
                for (int k = 0; k < n; k++) {
                    groupOf[k] = java.util.Arrays.binarySearch(groupDelay, l.delay()[k]);
                }
            } else {
                groupOf = null;
            }
            tileRowCount = Math.max(1, (l.sourceSize() + spec.tileRows() - 1) / spec.tileRows());
            tiles = tileRowCount * Math.max(1, (l.targetSize() + spec.tileColumns() - 1) / spec.tileColumns());
            if (spec.wireOhms() > 0) {
                pathOhms = new double[n];
                int[] rowStart = l.rowStart();
                for (int r = 0; r < l.sourceSize(); r++) {
                    for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                        int column = l.target()[k] - l.targetOffset();
                        pathOhms[k] = spec.wireOhms() * CrossbarSpec.segments(r % spec.tileRows(),
                                column % spec.tileColumns(), spec.tileRows());
                    }
                }
            } else {
                pathOhms = null;
            }
            if (devices.readsVary()) {
                staticWeight = null;
                conductanceBefore = null;
                offset = new double[n];
                for (int k = 0; k < n; k++) {
                    offset[k] = weight[k] - (targets[2 * k] - targets[2 * k + 1]) * toWeight;
                }
                if (pathOhms != null) {
                    irScale = new double[2 * n];
                    for (int i = 0; i < 2 * n; i++) {
                        irScale[i] = 1 / (1 + devices.programmed(i) * 1e-6 * pathOhms[i / 2]);
                    }
                } else {
                    irScale = null;
                }
            } else {
                offset = null;
                irScale = null;
                staticWeight = new float[n];
                conductanceBefore = new double[n + 1];
                for (int k = 0; k < n; k++) {
                    double gp = devices.drifted(2 * k, seconds);
                    double gm = devices.drifted(2 * k + 1, seconds);
                    if (pathOhms != null) {
                        gp = gp / (1 + gp * 1e-6 * pathOhms[k]);
                        gm = gm / (1 + gm * 1e-6 * pathOhms[k]);
                    }
                    conductanceBefore[k + 1] = conductanceBefore[k] + gp + gm;
                    double dp = gp - targets[2 * k];
                    double dm = gm - targets[2 * k + 1];
                    // an ideal device adds exactly nothing: the engine's own float weight
                    staticWeight[k] = dp == 0 && dm == 0 ? weight[k] : (float) (weight[k] + (dp - dm) * toWeight);
                }
            }
        }

        private static final Map<String, Program> CACHE = Collections.synchronizedMap(
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Program> e) {
                        return size() > 8;
                    }
                });

        /**
         * The programmed projection (from the cache when the same synapses were programmed under the same model,
         * periphery and seed). {@code seconds} matters only for devices whose reads do not vary (no drift, no read
         * noise), whose read values are computed once.
         */
        static Program of(ExternalSynapses.Layout l, DeviceModel model, CrossbarSpec spec, long seed, double seconds) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 * 1024);
            int[] rowStart = l.rowStart();
            for (int r = 0; r < l.sourceSize(); r++) {
                for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                    if (b.remaining() < 16) {
                        crc.update(b.array(), 0, b.position());
                        b.clear();
                    }
                    b.putInt(r).putInt(l.target()[k]).putFloat(l.weight()[k]).putInt(l.delay()[k]);
                }
            }
            crc.update(b.array(), 0, b.position());
            String key = l.projection().name() + "|" + l.sourceSize() + "|" + l.targetOffset() + "|" + l.targetSize()
                    + "|" + l.synapses() + "|" + Long.toHexString(crc.getValue()) + "|" + Arrays.hashCode(l.weight())
                    + "|" + model + "|" + spec + "|" + seed + "|" + seconds;
            return CACHE.computeIfAbsent(key, k -> new Program(l, model, spec, seed, seconds));
        }
    }
}
