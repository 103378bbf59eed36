package org.myelin.viz.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;

/**
 * Runs a network on its own thread for a live view. The simulation never touches the view: it hands spikes to a
 * bounded {@link SpikeFeed} and membrane samples of probed neurons to {@link Trace}s, and publishes its step in a
 * volatile field. The view steers it with thread-safe commands: run, pause, single step, speed, reset with a seed,
 * probes. A failure in the simulation stops it and is kept for the view to show ({@link #failure()}).
 *
 * <p>The layout (what the raster's rows are) is the populations in network order, each spike-monitored (monitors are
 * added to the network where missing).
 */
public final class SimulationDriver implements AutoCloseable {
    /** Largest number of neurons whose membrane is traced at once. */
    public static final int MAX_PROBES = 4;
    /**
     * Spikes the feed holds by default: at 2.5 million spikes per wall second and 60 frames per second, about 25
     * frames of slack; small enough (8 MiB) not to push the network's state out of the caches.
     */
    public static final int DEFAULT_FEED_CAPACITY = 1 << 20;
    /** Samples a trace keeps. */
    public static final int TRACE_SAMPLES = 4096;

    private final LongFunction<Network> factory;
    private final String backend;
    private final SimulationConfig config;
    private final int feedCapacity;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Trace> traces = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running;
    private volatile boolean closed;
    private volatile double speed = 1.0;
    private volatile long step;
    private volatile long seed;
    private volatile long stepLimit = Long.MAX_VALUE;
    private volatile Run run;
    private volatile Throwable failure;
    private volatile double wallPerStepNanos;
    private long pendingSteps;
    private CompiledNetwork compiled;
    private Recording recording;

    /** What one compile of the network gives the view: the network, its layout and its feed. */
    public record Run(Network network, String[] groups, int[] groupSizes, Map<String, Integer> layout, SpikeFeed feed,
                      long seed, String device) {
        /** Layout index of neuron {@code local} of population {@code group}. */
        public int layoutIndex(int group, int local) {
            int off = 0;
            for (int g = 0; g < group; g++) {
                off += groupSizes[g];
            }
            return off + local;
        }
    }

    /** The membrane potential of one probed neuron, sampled every step; written by the simulation, read by the view. */
    public static final class Trace {
        private final String population;
        private final int local;
        private final int layoutIndex;
        private final long[] steps = new long[TRACE_SAMPLES];
        private final double[] values = new double[TRACE_SAMPLES];
        private long count;

        Trace(String population, int local, int layoutIndex) {
            this.population = population;
            this.local = local;
            this.layoutIndex = layoutIndex;
        }

        public String population() {
            return population;
        }

        public int neuron() {
            return local;
        }

        public int layoutIndex() {
            return layoutIndex;
        }

        synchronized void add(long s, double v) {
            int i = (int) (count % TRACE_SAMPLES);
            steps[i] = s;
            values[i] = v;
            count++;
        }

        /** Copies the newest samples (oldest first) into {@code s} and {@code v}; returns how many. */
        public synchronized int copy(long[] s, double[] v) {
            int n = (int) Math.min(Math.min(count, TRACE_SAMPLES), s.length);
            for (int k = 0; k < n; k++) {
                int i = (int) ((count - n + k) % TRACE_SAMPLES);
                s[k] = steps[i];
                v[k] = values[i];
            }
            return n;
        }
    }

    /**
     * @param factory      builds the network for a seed (the same shape for every seed)
     * @param backend      backend name, as {@link Backends#find}
     * @param config       threads and engine mode
     * @param seed         first seed
     * @param feedCapacity spikes the feed holds between two frames
     */
    public SimulationDriver(LongFunction<Network> factory, String backend, SimulationConfig config, long seed,
                            int feedCapacity) {
        this.factory = factory;
        this.backend = backend;
        this.config = config;
        this.feedCapacity = feedCapacity;
        this.seed = seed;
        compile(seed);
        thread = new Thread(this::loop, "myelin-simulation");
        thread.setDaemon(true);
        thread.start();
    }

    private void compile(long s) {
        Network base = factory.apply(s);
        if (base.populations().isEmpty()) {
            throw new MyelinException("live view: the network has no population to show");
        }
        Network.Builder b = base.toBuilder();
        List<String> names = new ArrayList<>();
        int[] sizes = new int[base.populations().size()];
        Map<String, Integer> layout = new LinkedHashMap<>();
        int off = 0;
        for (int g = 0; g < sizes.length; g++) {
            Population p = base.populations().get(g);
            names.add(p.name());
            sizes[g] = p.size();
            layout.put(p.name(), off);
            off += p.size();
            if (base.spikeMonitors().stream().noneMatch(m -> m.node().equals(p.name()))) {
                b.monitorSpikes(p.name());
            }
        }
        Network net = b.build();
        SpikeFeed feed = new SpikeFeed(net, layout, feedCapacity);
        Recording rec = Recording.none();
        net.spikeMonitors().stream().filter(m -> layout.containsKey(m.node())).map(m -> m.node()).distinct()
                .forEach(node -> rec.route(net.spikeMonitors().stream().filter(m -> m.node().equals(node)).findFirst()
                        .orElseThrow().name(), feed));
        CompiledNetwork c = Backends.find(backend).compile(net, config);
        if (compiled != null) {
            compiled.close();
        }
        compiled = c;
        recording = rec;
        traces.clear();
        step = 0;
        run = new Run(net, names.toArray(new String[0]), sizes, layout, feed, s, c.device());
    }

    private void loop() {
        long anchorWall = System.nanoTime();
        long anchorStep = 0;
        long chunk = 1;
        while (!closed) {
            Runnable cmd;
            boolean changed = false;
            while ((cmd = commands.poll()) != null) {
                try {
                    cmd.run();
                } catch (RuntimeException e) {
                    failure = e;
                    running = false;
                }
                changed = true;
            }
            if (changed) {
                anchorWall = System.nanoTime();
                anchorStep = step;
            }
            // single steps go on past the limit; running stops at it
            boolean go = failure == null && (pendingSteps > 0 || (running && step < stepLimit));
            if (!go) {
                if (running && step >= stepLimit) {
                    running = false;
                }
                LockSupport.parkNanos(this, 2_000_000);
                continue;
            }
            long n = pendingSteps > 0 ? 1 : traces.isEmpty() ? chunk : 1;
            double sp = speed;
            if (pendingSteps == 0 && sp > 0) {
                // real-time pacing: simulated ms per wall second = sp * 1000
                double dt = run.network().dtMs();
                double allowed = (System.nanoTime() - anchorWall) / 1e9 * sp * 1000.0 / dt;
                long ahead = anchorStep + (long) allowed - step;
                if (ahead < 1) {
                    LockSupport.parkNanos(this, 1_000_000);
                    continue;
                }
                n = Math.min(n, ahead);
            }
            if (pendingSteps == 0) {
                n = Math.min(n, stepLimit - step);
            }
            long t0 = System.nanoTime();
            try {
                compiled.run(n, recording);
                long s = compiled.currentStep();
                for (Trace t : traces) {
                    t.add(s - 1, compiled.read(t.population, "v", new int[] {t.local})[0]);
                }
                step = s;
            } catch (RuntimeException | Error e) {
                failure = e;
                running = false;
                continue;
            }
            long took = System.nanoTime() - t0;
            wallPerStepNanos = (double) took / n;
            if (pendingSteps > 0) {
                pendingSteps--;
            } else if (traces.isEmpty()) {
                // chunks of about 2 ms of wall time keep commands and pacing responsive
                chunk = Math.max(1, Math.min(100_000, (long) (2_000_000 / Math.max(1.0, wallPerStepNanos))));
            }
        }
    }

    /** Starts or continues running. */
    public void play() {
        commands.add(() -> running = true);
        LockSupport.unpark(thread);
    }

    public void pause() {
        commands.add(() -> running = false);
    }

    public boolean running() {
        return running;
    }

    /** True when the run has reached the step given to {@link #stopAt}. */
    public boolean atLimit() {
        return step >= stepLimit;
    }

    /** Pauses and then simulates one step. */
    public void stepOnce() {
        commands.add(() -> {
            running = false;
            pendingSteps++;
        });
        LockSupport.unpark(thread);
    }

    /**
     * Simulated time per wall time: 1 is real time, 0.1 ten times slower; 0 or less runs as fast as the backend can.
     */
    public void speed(double s) {
        if (Double.isNaN(s) || Double.isInfinite(s)) {
            throw new MyelinException("speed must be a finite number, was " + s);
        }
        commands.add(() -> speed = s);
    }

    public double speed() {
        return speed;
    }

    /**
     * Stops running (paused) when step {@code limit} is reached, for recordings of a fixed length; single steps can
     * still go on past it.
     */
    public void stopAt(long limit) {
        commands.add(() -> stepLimit = limit);
        LockSupport.unpark(thread);
    }

    /** Recompiles the network with {@code newSeed} and starts again at step 0, paused; the old run's traces go. */
    public void reset(long newSeed) {
        commands.add(() -> {
            running = false;
            pendingSteps = 0;
            failure = null;
            seed = newSeed;
            compile(newSeed);
        });
        LockSupport.unpark(thread);
    }

    /**
     * Traces the membrane of neuron {@code local} of population {@code group} (index in {@link Run#groups}) from the
     * next step on; beyond {@link #MAX_PROBES} the oldest probe goes.
     */
    public void probe(int group, int local) {
        Run r = run;
        if (group < 0 || group >= r.groups().length || local < 0 || local >= r.groupSizes()[group]) {
            throw new MyelinException("probe: no neuron " + local + " in group " + group);
        }
        commands.add(() -> {
            Run cur = run;
            String pop = cur.groups()[group];
            traces.removeIf(t -> t.population.equals(pop) && t.local == local);
            while (traces.size() >= MAX_PROBES) {
                traces.remove(0);
            }
            traces.add(new Trace(pop, local, cur.layoutIndex(group, local)));
        });
        LockSupport.unpark(thread);
    }

    /** The probes, oldest first. */
    public List<Trace> traces() {
        return List.copyOf(traces);
    }

    /** The step the simulation will do next (the count of steps done). */
    public long step() {
        return step;
    }

    public long seed() {
        return seed;
    }

    /** The current run; a new one after each {@link #reset}. */
    public Run run() {
        return run;
    }

    /** Wall time per simulated step in the last chunk, ns. */
    public double wallPerStepNanos() {
        return wallPerStepNanos;
    }

    /** What stopped the simulation, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Runs {@code r} on the simulation thread between two chunks (for tests and tools that need a consistent view). */
    public void submit(Runnable r) {
        commands.add(r);
        LockSupport.unpark(thread);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (compiled != null) {
            compiled.close();
        }
    }
}
