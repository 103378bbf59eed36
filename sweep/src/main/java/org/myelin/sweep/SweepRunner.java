package org.myelin.sweep;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.myelin.core.MyelinException;
import org.myelin.core.io.Json;

/**
 * Runs a sweep one point after another in this process, or on a Hazelcast cluster: either workers it starts itself
 * on this machine ({@link #runLocalCluster}) or a cluster of {@link SweepWorker}s already running
 * ({@link #runOnCluster}). Rows come back in point order whatever member ran them.
 */
public final class SweepRunner {
    /** Seconds the last local cluster took from starting its workers until all had joined (this thread's). */
    private static volatile double lastJoinSeconds;

    private SweepRunner() {
    }

    /** Seconds the last {@link #runLocalCluster} took to start its workers and see them join. */
    public static synchronized double lastJoinSeconds() {
        return lastJoinSeconds;
    }

    /** Every point in this process, in order; {@code progress} gets the number of points done. */
    public static List<SweepTask.Row> runSerial(SweepSpec spec, IntConsumer progress) {
        List<SweepTask.Row> rows = new ArrayList<>();
        for (int i = 0; i < spec.size(); i++) {
            rows.add(new SweepTask(i, spec.point(i)).call());
            progress.accept(i + 1);
        }
        return rows;
    }

    /**
     * Starts {@code workers} worker JVMs on this machine (loopback, ports from {@code port}) in a cluster of a fresh
     * name and secret (handed to the workers in their environment, not on their command line), joins them as a
     * driver that runs nothing itself, runs the sweep on them and stops them.
     */
    public static List<SweepTask.Row> runLocalCluster(SweepSpec spec, int workers, int port, String classpath,
                                                      IntConsumer progress) {
        if (workers < 1) {
            throw new MyelinException("sweep: --local needs at least one worker, was " + workers);
        }
        ClusterKey key = new ClusterKey("local-" + ProcessHandle.current().pid(), ClusterKey.newSecret());
        // a member without a port is looked for on the cluster's ports: port .. port + 19
        String members = HazelcastCluster.LOOPBACK;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> procs = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        long t0 = System.nanoTime();
        HazelcastInstance hz = null;
        try {
            for (int w = 0; w < workers; w++) {
                Path log = Files.createTempFile("myelin-sweep-worker", ".log");
                logs.add(log);
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", classpath, SweepWorker.class.getName(),
                        "--cluster", key.name(), "--interface", HazelcastCluster.LOOPBACK, "--port",
                        Integer.toString(port), "--members", members);
                pb.environment().put(ClusterKey.SECRET_ENV, key.secret());
                procs.add(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start());
            }
            hz = HazelcastCluster.start(key, HazelcastCluster.LOOPBACK, port, List.of(members), true, 1);
            waitForWorkers(hz, workers, procs, logs, 120);
            lastJoinSeconds = (System.nanoTime() - t0) * 1e-9;
            return run(hz, spec, progress);
        } catch (IOException e) {
            throw new MyelinException("sweep: cannot start a worker: " + e.getMessage(), e);
        } finally {
            if (hz != null) {
                hz.shutdown();
            }
            for (Process p : procs) {
                p.destroy();
            }
            for (Process p : procs) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
            for (Path log : logs) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temporary log; nothing to lose
                }
            }
        }
    }

    /**
     * Joins the cluster {@code key} at {@code members} as a driver listening on {@code bindAddress} (loopback when
     * null) and runs the sweep on its workers; waits up to two minutes for {@code workers} of them.
     */
    public static List<SweepTask.Row> runOnCluster(SweepSpec spec, ClusterKey key, String bindAddress, int port,
                                                   List<String> members, int workers, IntConsumer progress) {
        return runOnCluster(spec, key, bindAddress, port, members, workers, progress, 120);
    }

    static List<SweepTask.Row> runOnCluster(SweepSpec spec, ClusterKey key, String bindAddress, int port,
                                            List<String> members, int workers, IntConsumer progress, int waitSeconds) {
        if (workers < 1) {
            throw new MyelinException("sweep: --workers must be >= 1, was " + workers);
        }
        HazelcastInstance hz = HazelcastCluster.start(key, bindAddress, port, members, true, 1);
        try {
            waitForWorkers(hz, workers, List.of(), List.of(), waitSeconds);
            return run(hz, spec, progress);
        } finally {
            hz.shutdown();
        }
    }

    private static void waitForWorkers(HazelcastInstance hz, int workers, List<Process> procs, List<Path> logs,
                                       int waitSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (dataMembers(hz).size() < workers) {
            for (int w = 0; w < procs.size(); w++) {
                if (!procs.get(w).isAlive()) {
                    throw new MyelinException("sweep: worker " + w + " exited (" + procs.get(w).exitValue() + "): "
                            + tail(logs.get(w)));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new MyelinException("sweep: " + dataMembers(hz).size() + " of " + workers
                        + " workers joined in " + waitSeconds + " s (a worker joins only with the same cluster name and"
                        + " secret, and only if it can reach this driver's address " + hz.getCluster().getLocalMember()
                        .getAddress() + ": give --interface on another machine)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MyelinException("sweep: interrupted while waiting for workers", e);
            }
        }
    }

    /** The last line the worker wrote (its one-line error), or a note that it wrote nothing. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .toList();
            if (lines.isEmpty()) {
                return "(it wrote nothing)";
            }
            String last = lines.get(lines.size() - 1);
            return last.length() > 1000 ? last.substring(0, 1000) + " ..." : last;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static List<Member> dataMembers(HazelcastInstance hz) {
        return hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
    }

    /** Points go to the workers in turn (rows come back in point order). */
    private static List<SweepTask.Row> run(HazelcastInstance hz, SweepSpec spec, IntConsumer progress) {
        IExecutorService ex = hz.getExecutorService(HazelcastCluster.EXECUTOR);
        List<Member> workers = dataMembers(hz);
        List<Future<SweepMessageFactory.RowMessage>> futures = new ArrayList<>();
        for (int i = 0; i < spec.size(); i++) {
            futures.add(ex.submitToMember(new SweepMessageFactory.PointTask(i, spec.point(i)),
                    workers.get(i % workers.size())));
        }
        List<SweepTask.Row> rows = new ArrayList<>();
        for (Future<SweepMessageFactory.RowMessage> f : futures) {
            int i = rows.size();
            SweepMessageFactory.RowMessage m;
            try {
                m = f.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                throw new MyelinException("sweep: point " + i + " failed on the cluster: " + c.getMessage(), c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MyelinException("sweep: interrupted", e);
            }
            if (m.error() != null) {
                throw new MyelinException("sweep: point " + i + " failed on " + workers.get(i % workers.size())
                        .getAddress() + ": " + m.error());
            }
            if (m.row().index() != i) {
                throw new MyelinException("sweep: point " + i + " came back as row " + m.row().index());
            }
            rows.add(m.row());
            progress.accept(rows.size());
        }
        return rows;
    }

    /** The rows without their wall times: what must be equal however the sweep ran. */
    public static List<Map<String, String>> results(List<SweepTask.Row> rows) {
        return rows.stream().map(SweepTask.Row::columns).toList();
    }

    /** The table as CSV: a header, then one line per point; wall_s (not part of the result) last. */
    public static String csv(List<SweepTask.Row> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("point");
        List<String> cols = new ArrayList<>(rows.get(0).columns().keySet());
        for (String c : cols) {
            sb.append(',').append(c);
        }
        sb.append(",wall_s\n");
        for (SweepTask.Row r : rows) {
            sb.append(r.index());
            for (String c : cols) {
                String v = r.columns().getOrDefault(c, "");
                sb.append(',').append(v.contains(",") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v);
            }
            sb.append(String.format(Locale.ROOT, ",%.3f%n", r.wallSeconds()));
        }
        return sb.toString();
    }

    /** The table as JSON objects, one per point (a column's value is a number where its text is one). */
    public static List<Json> json(List<SweepTask.Row> rows) {
        List<Json> out = new ArrayList<>();
        for (SweepTask.Row r : rows) {
            Json j = Json.object().put("point", r.index());
            for (Map.Entry<String, String> e : r.columns().entrySet()) {
                String v = e.getValue();
                j.put(e.getKey(), v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?") ? new java.math.BigDecimal(v) : v);
            }
            out.add(j.put("wall_s", r.wallSeconds()));
        }
        return out;
    }
}
