package org.myelin.experiments.lsm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.backend.memristor.CrossbarReport;
import org.myelin.backend.memristor.MemristorBackend;
import org.myelin.core.MyelinException;

/**
 * One-factor-at-a-time device sweep: for each swept key and value, the liquid runs on the memristor backend with
 * that change to the base device (the config's, or {@code pcm-like}) and a fresh linear readout is trained.
 */
public final class LsmSweep {
    private LsmSweep() {
    }

    /**
     * One swept setting and what it gave.
     *
     * @param key              the device key ({@code levels}, {@code stuck}, ..., or {@code t} for the seconds since
     *                         programming)
     * @param value            its value as given
     * @param device           the whole device description run
     * @param trainAccuracy    the readout's training accuracy
     * @param testAccuracy     its test (or validation) accuracy
     * @param spikesPerNeuron  spikes per neuron and training sample
     * @param simSeconds       wall time of the simulation
     * @param energyPerSampleNj the crossbar's energy per run (sample), nJ
     */
    public record Row(String key, String value, String device, double trainAccuracy, double testAccuracy,
                      double spikesPerNeuron, double simSeconds, double energyPerSampleNj) {
    }

    /**
     * A sweep's rows, in the order run, and the base device.
     *
     * @param base        the device every change was made to
     * @param evaluatedOn {@code test} or {@code validation}
     * @param rows        one per key and value
     */
    public record Result(String base, String evaluatedOn, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }

        /** The rows as CSV, a header line first. */
        public String csv() {
            StringBuilder csv = new StringBuilder("parameter,value,device,train_accuracy," + evaluatedOn
                    + "_accuracy,spikes_per_neuron,sim_s,energy_per_sample_nj\n");
            for (Row r : rows) {
                csv.append(String.format(Locale.ROOT, "%s,%s,\"%s\",%.6f,%.6f,%.4f,%.3f,%.6f%n", r.key(), r.value(),
                        r.device(), r.trainAccuracy(), r.testAccuracy(), r.spikesPerNeuron(), r.simSeconds(),
                        r.energyPerSampleNj()));
            }
            return csv.toString();
        }
    }

    /** Refuses a sweep of {@code c}'s off the memristor backend. */
    public static void requireMemristor(LsmConfig c) {
        if (!c.backend().equals("memristor")) {
            throw new MyelinException("--sweep varies the device model: use --backend memristor");
        }
    }

    /**
     * Runs {@code c} once per value of every sweep {@code KEY=V1,V2,...} in {@code sweeps}; each row goes to {@code
     * progress} when done.
     */
    public static Result run(LsmConfig c, List<String> sweeps, Consumer<Row> progress) {
        requireMemristor(c);
        String base = c.device() == null ? "pcm-like" : c.device();
        Liquid lq = c.liquid();
        List<Row> rows = new ArrayList<>();
        for (String sw : sweeps) {
            String[] kv = sw.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new MyelinException("--sweep must be KEY=V1,V2,..., was '" + sw + "'");
            }
            for (String raw : kv[1].split(",")) {
                String v = raw.trim();
                String dev = kv[0].equals("t") ? withTime(base, v) : base + "," + kv[0] + "=" + v;
                MemristorBackend.parse(dev); // refuses a bad key or value before running
                LiquidFeatures f = LiquidFeatures.extract(c, lq, c.data(), c.train(), c.test(), c.validation(), dev);
                double[] accs = LsmExperiment.readout(f, c.neurons(), c.classes(), c.epochs(), c.seed());
                CrossbarReport cr = f.crossbar();
                Row row = new Row(kv[0], v, dev, accs[0], accs[1], (double) f.spikes() / f.xtr().length / c.neurons(),
                        f.seconds(), cr.runs() == 0 ? 0 : cr.totalPj() / 1e3 / cr.runs());
                rows.add(row);
                progress.accept(row);
            }
        }
        return new Result(base, c.evaluatedOn(), rows);
    }

    /** The base device with its time since programming replaced by {@code seconds}. */
    static String withTime(String base, String seconds) {
        int comma = base.indexOf(',');
        String head = comma < 0 ? base : base.substring(0, comma);
        String rest = comma < 0 ? "" : base.substring(comma);
        String preset = head.contains("@") ? head.substring(0, head.indexOf('@')) : head;
        return preset + "@" + seconds + rest;
    }
}
