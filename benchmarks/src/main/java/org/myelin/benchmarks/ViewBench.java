package org.myelin.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Distribution;
import org.myelin.core.io.Json;
import org.myelin.core.model.LifModel;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.viz.live.LiveApp;
import org.myelin.viz.live.LiveView;
import org.myelin.viz.live.SimulationDriver;

/**
 * The live view under load: N LIF neurons (default 100,000) driven by a constant current at 20 Hz each,
 * simulated as fast as one thread allows, drawn by the live window. Per repetition, in alternating order, the same
 * steps run (a) without the view, plain {@code CompiledNetwork.run} recording nothing, and (b) with the view: the
 * driver thread feeding the window through the spike feed. Reports the view's frame times (drain + bin + paint +
 * plots, per JavaFX pulse), the pulse intervals, the spikes per second of wall time that went through the view, and
 * the wall-time ratio (b)/(a). Medians over repetitions.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.myelin.benchmarks.ViewBench [--neurons N] [--seconds S] [--reps R]</pre>
 * Without a display it runs JavaFX headless (Monocle, software rendering).
 */
public final class ViewBench {
    /** Spikes the feed holds: what the view's default is. */
    static final int FEED = SimulationDriver.DEFAULT_FEED_CAPACITY;

    private ViewBench() {
    }

    static Network network(int neurons, long seed) {
        // tau 20 ms, R 100 MOhm, 0.1634 nA: v_inf = rest + 16.34 mV, threshold rest + 15 mV, period 50 ms (20 Hz);
        // initial potentials spread the phases
        LifModel m = LifModel.builder().tauMembraneMs(20).restingMv(-65).thresholdMv(-50).resetMv(-65).refractoryMs(0)
                .resistanceMOhm(100).biasCurrentNa(0.1634).build();
        return Network.builder().dtMs(0.1).seed(seed)
                .population("neurons", neurons, m, Distribution.uniform(-65, -50)).build();
    }

    /** CPU time per live thread, ns, by name (the first of a name). */
    static java.util.Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti != null) {
                m.putIfAbsent(ti.getThreadName(), mx.getThreadCpuTime(ti.getThreadId()));
            }
        }
        return m;
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double medianMs(long[] ns) {
        long[] c = ns.clone();
        Arrays.sort(c);
        return c.length == 0 ? Double.NaN : c[c.length / 2] / 1e6;
    }

    private static double quantileMs(long[] ns, double q) {
        long[] c = ns.clone();
        Arrays.sort(c);
        return c.length == 0 ? Double.NaN : c[(int) Math.min(c.length - 1, Math.floor(q * c.length))] / 1e6;
    }

    public static void main(String[] args) throws Exception {
        int neurons = 100_000;
        double seconds = 5;
        int reps = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--neurons" -> neurons = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --neurons N --seconds S --reps R");
            }
        }
        if (System.getenv("DISPLAY") == null && System.getProperty("glass.platform") == null) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
            System.setProperty("headless.geometry", "1920x1200-32");
        }
        final int n = neurons;
        long steps = Math.round(seconds * 1000 / 0.1);
        LiveApp.startToolkit();
        List<Double> plain = new ArrayList<>();
        List<Double> viewed = new ArrayList<>();
        List<Double> fed = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> frameMedian = new ArrayList<>();
        List<Double> frameP95 = new ArrayList<>();
        List<Double> pulseMedian = new ArrayList<>();
        List<Double> spikesPerWallSecond = new ArrayList<>();
        long dropped = 0;
        System.out.printf(Locale.ROOT, "view benchmark: %d neurons, %.1f s simulated (%d steps), %d repetitions + 1 warm-up,"
                + " java %s%n", n, seconds, steps, reps, System.getProperty("java.version"));
        for (int r = 0; r <= reps; r++) {
            boolean warm = r == 0;
            double a = 0;
            double b = 0;
            double f = 0;
            // rotate the order, so drift in the machine's speed does not favour one side
            for (int k = 0; k < 3; k++) {
                int side = (k + r) % 3;
                if (side == 0) {
                    Network net = network(n, 1);
                    try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(1))) {
                        long t0 = System.nanoTime();
                        c.run(steps, Recording.none());
                        a = (System.nanoTime() - t0) / 1e9;
                    }
                } else if (side == 1) {
                    try (SimulationDriver d = new SimulationDriver(s -> network(n, s), "cpu", new SimulationConfig(1), 1,
                            FEED)) {
                        long[] drained = {0};
                        Thread drain = new Thread(() -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                drained[0] += d.run().feed().drain((st, ne) -> { });
                                try {
                                    Thread.sleep(16);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
                        drain.start();
                        d.stopAt(steps);
                        d.speed(0);
                        long t0 = System.nanoTime();
                        d.play();
                        LiveApp.awaitStep(d, steps, 600_000);
                        f = (System.nanoTime() - t0) / 1e9;
                        drain.interrupt();
                        drain.join();
                    }
                } else {
                    try (SimulationDriver d = new SimulationDriver(s -> network(n, s), "cpu", new SimulationConfig(1), 1,
                            FEED)) {
                        LiveView v = LiveApp.onFx(() -> {
                            LiveView lv = new LiveView(d, 1000, 420, 1 << 23);
                            Stage st = new Stage();
                            st.setScene(new Scene(lv.root()));
                            st.show();
                            lv.start();
                            return lv;
                        });
                        Thread.sleep(300);
                        d.stopAt(steps);
                        d.speed(0);
                        LiveApp.onFx(() -> {
                            v.resetFrameStats();
                            return null;
                        });
                        java.util.Map<String, Long> cpu0 = threadCpu();
                        long t0 = System.nanoTime();
                        d.play();
                        LiveApp.awaitStep(d, steps, 600_000);
                        b = (System.nanoTime() - t0) / 1e9;
                        java.util.Map<String, Long> cpu1 = threadCpu();
                        StringBuilder use = new StringBuilder();
                        for (String t : new String[] {"myelin-simulation", "JavaFX Application Thread", "QuantumRenderer-0"}) {
                            long used = cpu1.getOrDefault(t, 0L) - cpu0.getOrDefault(t, 0L);
                            use.append(String.format(Locale.ROOT, " %s %.0f%%", t, 100 * used / 1e9 / b));
                        }
                        System.out.println("    cpu of wall time:" + use);
                        long[] frames = LiveApp.onFx(v::frameNanos);
                        long[] pulses = LiveApp.onFx(v::pulseNanos);
                        Thread.sleep(100);
                        long seen = LiveApp.onFx(v::spikesSeen);
                        if (!warm) {
                            frameMedian.add(medianMs(frames));
                            frameP95.add(quantileMs(frames, 0.95));
                            pulseMedian.add(medianMs(pulses));
                            spikesPerWallSecond.add(seen / b);
                            dropped += d.run().feed().dropped();
                        }
                        System.out.printf(Locale.ROOT, "  %s view: %.3f s wall, %d spikes (%.3g per wall s), dropped %d,"
                                + " frames %d, frame median %.2f ms (p95 %.2f), pulse median %.2f ms%n",
                                warm ? "warm-up" : "rep " + r, b, seen, seen / b, d.run().feed().dropped(),
                                frames.length, medianMs(frames), quantileMs(frames, 0.95), medianMs(pulses));
                        LiveApp.onFx(() -> {
                            v.stop();
                            v.root().getScene().getWindow().hide();
                            return null;
                        });
                    }
                }
            }
            System.out.printf(Locale.ROOT, "  %s plain run: %.3f s wall; fed, no window: %.3f s; with view / without: %.3f%n",
                    warm ? "warm-up" : "rep " + r, a, f, b / a);
            if (!warm) {
                fed.add(f / a);
                plain.add(a);
                viewed.add(b);
                ratio.add(b / a);
            }
        }
        System.out.printf(Locale.ROOT, "median: fed without a window / plain %.3f%n", median(fed));
        System.out.printf(Locale.ROOT, "median: plain %.3f s, with view %.3f s, ratio %.3f (slowdown %.1f %%); frame %.2f ms"
                        + " (p95 %.2f), pulse interval %.2f ms; %.3g spikes per wall second through the view; dropped %d%n",
                median(plain), median(viewed), median(ratio), 100 * (median(ratio) - 1), median(frameMedian),
                median(frameP95), median(pulseMedian), median(spikesPerWallSecond), dropped);
        System.out.println(Json.object().put("benchmark", "view").put("neurons", n).put("seconds", seconds)
                .put("reps", reps).put("plain_s", median(plain)).put("view_s", median(viewed))
                .put("ratio", median(ratio)).put("frame_ms_median", median(frameMedian))
                .put("frame_ms_p95", median(frameP95)).put("pulse_ms_median", median(pulseMedian))
                .put("spikes_per_wall_s", median(spikesPerWallSecond)).put("dropped", dropped)
                .put("fed_ratio", median(fed)));
        LiveApp.exit();
        System.exit(0);
    }
}
