package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.myelin.core.MyelinException;
import org.myelin.core.io.AtomicFile;
import org.myelin.core.io.Json;
import org.myelin.sweep.ClusterKey;
import org.myelin.sweep.SweepRunner;
import org.myelin.sweep.SweepSpec;
import org.myelin.sweep.SweepTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A parameter sweep on a Hazelcast cluster (or one point after another). */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a parameter sweep on a Hazelcast cluster and collect one table.",
            "A sweep is a grid of independent simulations. SPEC is a file of key = value lines; grid.KEY = a, b, c"
                + " or grid.KEY = lo..hi makes an axis:",
            "  experiment = cuba", "  neurons = 2000", "  duration = 0.1", "  backend = memristor", "  device = rram",
            "  grid.read = 0, 0.02, 0.05, 0.1", "  grid.seed = 1..25",
            "Keys: experiment (cuba), neurons, duration, seed, p, threads, backend (cpu, memristor), device, and the",
            "crossbar's levels, stuck, d2d, prog, drift, read, pcmread, adc, adcrows, adcrange, tile, wire, vread.",
            "--local N starts N worker JVMs here (loopback, a fresh cluster name and secret); --members joins running",
            "SweepWorkers (see docs/scale-out.md) with --cluster NAME and their secret (MYELIN_SWEEP_SECRET or --secret-file);",
            "--serial runs in this process. The last stdout line is a JSON summary."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the sweep's spec file")
    Path specFile;

    @Option(names = "--local", description = "start this many worker JVMs on this machine (default: 2 unless --members"
            + " or --serial)")
    Integer local;

    @Option(names = "--members", split = ",", description = "a running cluster's members, host:port (with --workers)")
    List<String> members;

    @Option(names = "--workers", defaultValue = "1",
            description = "with --members: workers to wait for (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--cluster",
            description = "with --members: the cluster's name (as the workers were given or printed)")
    String cluster;

    @Option(names = "--secret-file", description = "with --members: a file whose first line is the cluster's secret"
            + " (default: the environment variable " + ClusterKey.SECRET_ENV + ")")
    Path secretFile;

    @Option(names = "--interface", description = "with --members: this machine's address the cluster reaches"
            + " (default: loopback, 127.0.0.1)")
    String bind;

    @Option(names = "--port", defaultValue = "5701",
            description = "first port to listen on (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--serial", description = "run every point in this process, one after another")
    boolean serial;

    @Option(names = "--check-serial", description = "also run the points one by one here and compare the tables")
    boolean checkSerial;

    @Option(names = "--csv", description = "write the table as CSV")
    Path csv;

    @Option(names = "--chart", paramLabel = "FILE", description = {"write a chart (.png or .svg): --chart-y against"
        + " each grid axis but seed, one panel per axis; points that differ only in the other axes (seeds, the"
        + " other parameters) are repeats, drawn as their mean with an error bar of one standard deviation"})
    Path chart;

    @Option(names = "--chart-y", paramLabel = "COLUMN", defaultValue = "rate_hz",
            description = "the result column the chart draws: rate_hz, spikes or energy_nj (default: ${DEFAULT-VALUE})")
    String chartY;

    @picocli.CommandLine.Mixin
    JsonOptions json;

    @Override
    public Integer call() throws IOException {
        json.check();
        if (chart != null) {
            org.myelin.viz.raster.Figures.isSvg(chart);
            NirCommand.requireFileToWrite("--chart", chart);
        }
        SweepSpec sweep = SweepSpec.read(specFile);
        int n = sweep.size();
        if (serial && (local != null || members != null)) {
            throw new MyelinException("--serial runs here; it cannot be combined with --local or --members");
        }
        if (local != null && members != null) {
            throw new MyelinException("--local starts its own cluster; it cannot be combined with --members");
        }
        ClusterKey key = null;
        if (members != null) {
            if (cluster == null) {
                throw new MyelinException("--members needs --cluster NAME: the name the workers were started with");
            }
            String secret = ClusterKey.secretFrom(secretFile, System.getenv());
            if (secret == null) {
                throw new MyelinException("--members needs the cluster's secret: set " + ClusterKey.SECRET_ENV
                        + " or give --secret-file FILE (a worker started without one printed the one it made)");
            }
            key = new ClusterKey(cluster, secret);
        } else if (cluster != null || secretFile != null || bind != null) {
            throw new MyelinException("--cluster, --secret-file and --interface go with --members");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IntConsumer progress = done -> {
            if (done == n || done % Math.max(1, n / 20) == 0) {
                err.printf(Locale.ROOT, "  %d / %d points%n", done, n);
                err.flush();
            }
        };
        long t0 = System.nanoTime();
        String where;
        List<SweepTask.Row> rows;
        if (serial) {
            where = "this process";
            rows = SweepRunner.runSerial(sweep, progress);
        } else if (members != null) {
            where = "cluster '" + cluster + "' (" + workers + " workers)";
            rows = SweepRunner.runOnCluster(sweep, key, bind, port, members, workers, progress);
        } else {
            int w = local == null ? 2 : local;
            where = "a local cluster of " + w + " worker JVMs";
            rows = SweepRunner.runLocalCluster(sweep, w, port, System.getProperty("java.class.path"), progress);
            where += String.format(Locale.ROOT, " (%.1f s to start and join)", SweepRunner.lastJoinSeconds());
        }
        double wall = (System.nanoTime() - t0) * 1e-9;
        out.printf(Locale.ROOT, "sweep %s: %d points on %s in %.1f s%n", specFile.getFileName(), n, where, wall);
        Boolean equal = null;
        double serialWall = Double.NaN;
        if (checkSerial) {
            long t1 = System.nanoTime();
            List<SweepTask.Row> one = SweepRunner.runSerial(sweep, d -> { });
            serialWall = (System.nanoTime() - t1) * 1e-9;
            equal = SweepRunner.results(one).equals(SweepRunner.results(rows));
            out.printf(Locale.ROOT, "  one by one here: %.1f s; tables %s%n", serialWall,
                    equal ? "equal (every column but wall_s)" : "DIFFER");
        }
        if (csv != null) {
            AtomicFile.writeString(csv, SweepRunner.csv(rows));
            out.println("  table: " + csv);
        }
        if (chart != null) {
            chart(sweep, rows).write(chart);
            out.println("  chart: " + chart);
        }
        out.printf(Locale.ROOT, "  %d points %s in %.3f s%n", n, where, wall);
        if (json.wanted()) {
            Json j = Json.object().put("points", n).put("where", where).put("wall_s", wall);
            if (equal != null) {
                j.put("equal_to_serial", equal).put("serial_wall_s", serialWall);
            }
            json.emit(out, j.put("rows", SweepRunner.json(rows)));
        }
        out.flush();
        return equal == null || equal ? 0 : 1;
    }

    /** The chart of --chart-y against each axis but seed (or against seed when it is the only axis). */
    private org.myelin.viz.raster.LineChart chart(SweepSpec sweep, List<SweepTask.Row> rows) {
        List<String> axes = sweep.axes().stream().filter(a -> !a.equals("seed")).toList();
        if (axes.isEmpty()) {
            axes = sweep.axes();
        }
        var c = new org.myelin.viz.raster.LineChart(specFile.getFileName() + ": " + chartY + " (mean and sd over"
                + " repeats)");
        for (String axis : axes) {
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                java.util.Map<String, String> r = rows.get(i).columns();
                if (!r.containsKey(chartY)) {
                    throw new MyelinException("--chart-y " + chartY + ": not a column of this sweep's table; columns: "
                            + String.join(", ", r.keySet()));
                }
                x[i] = number(axis, r.get(axis));
                y[i] = number(chartY, r.get(chartY));
            }
            c.panel(new org.myelin.viz.raster.LineChart.Panel(axis, axis, chartY, x, y, false));
        }
        return c;
    }

    private static double number(String column, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new MyelinException("--chart: column " + column + " holds '" + v + "', not a number");
        }
    }
}
