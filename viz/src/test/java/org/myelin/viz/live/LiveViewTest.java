package org.myelin.viz.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.Network;
import org.myelin.viz.raster.RasterGrid;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The live window, headless (Monocle): CUBA runs 200 ms on its own thread while the window draws; what is drawn is
 * checked against a separate run of the same network, clicks pick the right neuron, and pause stops the step counter.
 */
@ExtendWith(ApplicationExtension.class)
class LiveViewTest {
    static final long SEED = 42;
    static final int W = 1000;
    static final int H = 400;
    static final long STEPS = 2000;

    private SimulationDriver driver;
    private LiveView view;

    @Start
    void start(Stage stage) {
        driver = new SimulationDriver(CubaNetwork::classic, "cpu", new SimulationConfig(1), SEED, 1 << 20);
        view = new LiveView(driver, W, H, 1 << 20);
        stage.setScene(new Scene(view.root()));
        stage.show();
        view.start();
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static Recording reference(Network net, long steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, new SimulationConfig(1))) {
            c.run(steps, rec);
        }
        return rec;
    }

    private void runTo(FxRobot robot, long steps) {
        driver.stopAt(steps);
        driver.speed(0);
        robot.clickOn("#play");
        LiveApp.awaitStep(driver, steps, 60_000);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theRasterShowsExactlyTheRecordedSpikes(FxRobot robot) {
        runTo(robot, STEPS);
        SpikeRecord exc = reference(CubaNetwork.classic(SEED), STEPS).memory().spikes("exc");
        assertTrue(exc.size() > 1000, "CUBA is active: " + exc.size());
        // dot mode: 2 steps per pixel column, one neuron per pixel row (exc 0..399)
        int[] lit = new int[1];
        long[] total = new long[1];
        LiveApp.onFx(() -> {
            view.show(0, 2, 0, H);
            view.frame();
            PixelReader pr = view.rasterImage().getPixelReader();
            for (int y = 0; y < H; y++) {
                for (int x = 100; x < 900; x++) {
                    if (pr.getArgb(x, y) != RasterGrid.BACKGROUND) {
                        lit[0]++;
                    }
                }
            }
            view.show(0, 2, 0, view.grid().neurons());
            view.frame();
            total[0] = view.grid().total();
            return null;
        });
        Set<Long> cells = new HashSet<>();
        long inWindow = 0;
        for (int i = 0; i < exc.size(); i++) {
            long s = exc.step(i);
            int n = exc.neuron(i);
            if (n < H && s >= 200 && s < 1800) {
                cells.add((s / 2) << 20 | n);
            }
            if (s < STEPS) {
                inWindow++;
            }
        }
        assertTrue(cells.size() > 50, "the region holds spikes: " + cells.size());
        assertEquals(cells.size(), lit[0], "one lit pixel per (2-step column, neuron) that has a spike");
        SpikeRecord inh = reference(CubaNetwork.classic(SEED), STEPS).memory().spikes("inh");
        assertEquals(inWindow + inh.size(), total[0], "the density view (10 neurons a row) counts every spike");
        assertEquals(0, driver.run().feed().dropped());
    }

    @Test
    void aClickOnTheRasterPicksThatNeuronAndTracesItsMembrane(FxRobot robot) {
        runTo(robot, 500);
        LiveApp.onFx(() -> {
            view.show(0, 1, 0, H);
            return null;
        });
        // pixel row 100 from the top shows neuron 399 - 100 = 299 (one neuron a row, bottom-up)
        robot.clickOn(robot.point(view.rasterNode()).atPosition(Pos.TOP_LEFT).atOffset(new Point2D(500.5, 100.5)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(299, view.selected());
        for (int k = 0; k < 30; k++) {
            robot.clickOn("#step");
        }
        LiveApp.awaitStep(driver, 530, 10_000);
        List<SimulationDriver.Trace> traces = driver.traces();
        assertEquals(1, traces.size());
        assertEquals("exc", traces.get(0).population());
        assertEquals(299, traces.get(0).neuron());
        long[] steps = new long[64];
        double[] v = new double[64];
        int n = traces.get(0).copy(steps, v);
        assertEquals(30, n, "one sample per step after the pick");
        Network probed = CubaNetwork.classic(SEED).toBuilder().monitorState("exc", "v", 299).build();
        StateTrace ref = reference(probed, 530).memory().state("exc.v");
        for (int k = 0; k < n; k++) {
            assertEquals(ref.value((int) steps[k], 0), v[k], 1e-9, "v at step " + steps[k]);
        }
    }

    @Test
    void pauseStopsTheStepCounter(FxRobot robot) throws Exception {
        driver.speed(0.05);
        robot.clickOn("#play");
        LiveApp.awaitStep(driver, 50, 10_000);
        robot.clickOn("#play");
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(100);
        long paused = driver.step();
        String label = LiveApp.onFx(() -> {
            view.frame();
            return view.status().getText();
        });
        Thread.sleep(400);
        assertEquals(paused, driver.step(), "no step while paused");
        String later = LiveApp.onFx(() -> {
            view.frame();
            return view.status().getText();
        });
        assertTrue(label.startsWith("step " + paused + " ") && later.startsWith("step " + paused + " "), later);
        assertTrue(later.contains("paused"), later);
        robot.clickOn("#step");
        LiveApp.awaitStep(driver, paused + 1, 5_000);
        Thread.sleep(100);
        assertEquals(paused + 1, driver.step(), "one step on Step");
    }
}
