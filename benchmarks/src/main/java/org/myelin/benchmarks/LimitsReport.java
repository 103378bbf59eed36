package org.myelin.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.myelin.core.io.Json;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The limits table: this machine's limits ({@link LimitsBenchmark}) and the CPU engine's rates
 * ({@link NeuronUpdateBenchmark}, {@link SpikeDeliveryBenchmark}) measured in one run, and each rate as a fraction
 * of the limit that bounds it:
 * <ul>
 * <li>neuron updates: the clock engine's CuBa update reads u, ge and gi and writes u, at least 16 bytes per
 *     update, so the bound is the triad's bytes per second (at the same array size) / 16;</li>
 * <li>synaptic events: each is a read-modify-write of the target's input at a random index, so the bound is the
 *     scatter-add rate into an array of the same size (the synapse list itself is read sequentially).</li>
 * </ul>
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar org.myelin.benchmarks.LimitsReport [--quick]}; prints a
 * markdown table and, as the last line, one JSON object. {@code --quick}: 2 warm-up and 3 measured iterations of
 * 1 s (the JMH defaults of the classes otherwise).
 */
public final class LimitsReport {
    private LimitsReport() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        OptionsBuilder b = new OptionsBuilder();
        b.include(LimitsBenchmark.class.getName()).include(NeuronUpdateBenchmark.class.getName())
                .include(SpikeDeliveryBenchmark.class.getName()).forks(1).shouldDoGC(true);
        if (quick) {
            b.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        Options o = b.build();
        Collection<RunResult> results = new Runner(o).run();
        Map<String, Double> rate = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            // the size parameter of each benchmark (the others, fan-out and threads, stay at one value)
            String param = "";
            for (String key : new String[] {"neurons", "targets", "floats"}) {
                if (r.getParams().getParamsKeys().contains(key)) {
                    param = r.getParams().getParam(key);
                }
            }
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                rate.put(method + "." + e.getKey() + "@" + param, e.getValue().getScore());
            }
        }
        double flops = rate.getOrDefault("multiplyAdd.flops@", Double.NaN);
        Json json = Json.object().put("benchmark", "limits").put("threads", 1)
                .put("java", System.getProperty("java.version")).put("float_ops_per_s", flops);
        StringBuilder t = new StringBuilder();
        t.append("| work | size | engine rate | machine limit | fraction |\n|---|---:|---:|---:|---:|\n");
        java.util.List<Json> rows = new java.util.ArrayList<>();
        for (String n : new String[] {"4000", "256000"}) {
            double upd = rate.getOrDefault("update.neuronUpdates@" + n, Double.NaN);
            double triad = rate.getOrDefault("triad.triadElements@" + n, Double.NaN);
            double bound = triad * 12 / 16;
            row(t, rows, "neuron updates/s (clock, CuBa)", n + " neurons", upd, bound,
                    String.format(Locale.ROOT, "triad %.2f GB/s / 16 B", triad * 12 / 1e9));
        }
        for (String n : new String[] {"10000", "256000"}) {
            double ev = rate.getOrDefault("deliver.synapticEvents@" + n, Double.NaN);
            double sc = rate.getOrDefault("scatterAdd.scatterAdds@" + n, Double.NaN);
            row(t, rows, "synaptic events/s", n + " targets", ev, sc, "random scatter-adds/s");
        }
        double dram = rate.getOrDefault("triad.triadElements@16777216", Double.NaN) * 12;
        t.append(String.format(Locale.ROOT, "%nMachine: triad over 3 x 64 MB %.2f GB/s (memory), multiply-add %.2f"
                + " GFLOP/s (one thread, L1).%n", dram / 1e9, flops / 1e9));
        System.out.print(t);
        System.out.println(json.put("memory_triad_bytes_per_s", dram).put("rows", rows));
    }

    private static void row(StringBuilder t, java.util.List<Json> rows, String work, String size, double rate,
                            double limit, String limitNote) {
        t.append(String.format(Locale.ROOT, "| %s | %s | %.3g | %.3g (%s) | %.0f %% |%n", work, size, rate, limit,
                limitNote, 100 * rate / limit));
        rows.add(Json.object().put("work", work).put("size", size).put("rate", rate).put("limit", limit)
                .put("fraction", rate / limit));
    }
}
