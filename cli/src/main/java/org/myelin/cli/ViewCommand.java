package org.myelin.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.bench.BenchmarkRun;
import org.myelin.viz.live.LiveApp;
import org.myelin.viz.live.LiveView;
import org.myelin.viz.live.SimulationDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The live window. */
@SharedOptions.Defaults(seed = 12345, threads = 1)
@Command(name = "view", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open a live window on a built-in network.",
            "Spike raster (wheel: zoom time, Shift+wheel: zoom neurons, drag: pan, double-click: fit), population"
                + " rates, membrane traces of neurons clicked in the raster, a projection's weight map, and run/pause,"
                + " step, speed, reset and seed controls. With --screenshot, runs --after ms, saves the window as PNG"
                + " and exits."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    NetworkOptions network;

    /** Simulation threads (default 1: leave a core to the window). */
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @Option(names = "--speed", defaultValue = "1",
            description = "simulated time per wall time, 1 = real time; 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--input-seconds", defaultValue = "60",
            description = "sparse: seconds of input drawn in advance (default: ${DEFAULT-VALUE})")
    double inputSeconds;

    @Option(names = "--width", defaultValue = "1000", description = "raster width, px (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "420", description = "raster height, px (default: ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--probe", paramLabel = "POP:INDEX",
            description = "trace this neuron's membrane from the start (repeatable; clicking the raster adds more)")
    java.util.List<String> probes = new java.util.ArrayList<>();

    @Option(names = "--screenshot", paramLabel = "FILE",
            description = "save the window as PNG after --after ms, then exit")
    Path screenshot;

    @Option(names = "--after", defaultValue = "200",
            description = "ms to simulate before the screenshot (default: ${DEFAULT-VALUE})")
    double afterMs;

    @Override
    public Integer call() throws InterruptedException {
        int threads = threadsOption.value();
        if (width < 200 || height < 100 || width > 8000 || height > 8000) {
            throw new MyelinException("--width must be in [200, 8000] and --height in [100, 8000] px");
        }
        if (Double.isNaN(speed) || speed < 0) {
            throw new MyelinException("--speed must be >= 0, was " + speed);
        }
        var factory = network.factory(inputSeconds);
        SimulationConfig config = new SimulationConfig(threads).withMode(network.engineMode());
        BenchmarkRun.requireThreads(config);
        try (SimulationDriver driver = new SimulationDriver(factory, network.backend, config, network.seed(),
                SimulationDriver.DEFAULT_FEED_CAPACITY)) {
            for (String p : probes) {
                String[] parts = p.split(":");
                java.util.List<String> groups = java.util.List.of(driver.run().groups());
                int g = parts.length == 2 ? groups.indexOf(parts[0]) : -1;
                int local;
                try {
                    local = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
                } catch (NumberFormatException e) {
                    local = -1;
                }
                if (g < 0 || local < 0 || local >= driver.run().groupSizes()[g]) {
                    throw new MyelinException("--probe must be POPULATION:INDEX with a population of " + groups
                            + " and an index inside it, was '" + p + "'");
                }
                driver.probe(g, local);
            }
            CountDownLatch closed = new CountDownLatch(1);
            String title = String.format(Locale.ROOT, "Myelin: %s (%d neurons, seed %d)", network.name,
                    driver.run().network().neuronCount(), network.seed());
            LiveView view = LiveApp.open(driver, title, width, height, closed::countDown);
            if (screenshot != null) {
                long steps = driver.run().network().steps(afterMs);
                driver.stopAt(steps);
                LiveApp.onFx(() -> {
                    view.setSpeed(0);
                    view.play();
                    return null;
                });
                LiveApp.awaitStep(driver, steps, 600_000);
                long frames = LiveApp.onFx(view::frames);
                while (LiveApp.onFx(view::frames) < frames + 3) {
                    Thread.sleep(20);
                }
                LiveApp.screenshot(view, screenshot);
                spec.commandLine().getOut().printf(Locale.ROOT, "window after %.1f ms (%d spikes, %d dropped) -> %s%n",
                        afterMs, LiveApp.onFx(view::spikesSeen), driver.run().feed().dropped(),
                        screenshot.toAbsolutePath());
            } else {
                LiveApp.onFx(() -> {
                    view.setSpeed(speed);
                    view.play();
                    return null;
                });
                LiveApp.onFx(() -> {
                    view.root().getScene().getWindow().requestFocus();
                    return null;
                });
                closed.await();
            }
        } finally {
            LiveApp.exit();
        }
        return 0;
    }
}
