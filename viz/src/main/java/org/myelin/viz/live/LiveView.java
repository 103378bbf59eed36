package org.myelin.viz.live;

import java.util.Arrays;
import java.util.Locale;
import javafx.animation.AnimationTimer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import org.myelin.core.network.Network;
import org.myelin.viz.raster.Palette;
import org.myelin.viz.raster.RasterGrid;

/**
 * The live window's content: a scrolling spike raster (populations coloured; zoom with the wheel in time, with
 * Shift+wheel in neurons; drag to pan; double-click to fit and follow again; density when neurons outnumber pixel
 * rows), population rates, membrane traces of neurons picked by clicking the raster, a weight heat map of a chosen
 * projection, and controls (run/pause, step, speed, reset, seed). Build and use it on the JavaFX thread.
 *
 * <p>Each frame drains the {@link SpikeFeed} into the {@link SpikeHistory} and the {@link RasterGrid} (only the new
 * spikes are binned while the view follows the simulation), paints the grid into a pixel buffer and hands it to one
 * {@link WritableImage}: no scene-graph node per spike. Dropped spikes and frame times are shown in the status line.
 */
public final class LiveView {
    /** Rate bins are at least this long. */
    static final double RATE_BIN_MS = 1.0;
    /** The rate and trace plots and the status line are redrawn at most this often (20 per second). */
    static final long PLOT_INTERVAL_NS = 50_000_000;

    private final SimulationDriver driver;
    private final int rasterW;
    private final int rasterH;
    private final BorderPane root = new BorderPane();
    private final WritableImage rasterImage;
    private final ImageView rasterView;
    private final int[] pixels;
    private final Canvas rates;
    private final Canvas traces;
    private final ImageView weights = new ImageView();
    private final Label weightInfo = new Label();
    private final ComboBox<String> projection = new ComboBox<>();
    private final Label status = new Label();
    private final Label info = new Label();
    private final ToggleButton playButton = new ToggleButton("Run");
    private final ToggleButton followButton = new ToggleButton("Follow");
    private final Button stepButton = new Button("Step");
    private final Button resetButton = new Button("Reset");
    private final TextField seedField = new TextField();
    private final Slider speedSlider = new Slider(-2, 3, 0);
    private final Label speedLabel = new Label();
    private final long[] frameNanos = new long[600];
    private final long[] pulseNanos = new long[600];
    private long pulses;
    private long lastPulse;
    private final AnimationTimer timer;
    private SimulationDriver.Run run;
    private SpikeHistory history;
    private RasterGrid grid;
    private long stepsPerColumn;
    private long frames;
    private long spikesSeen;
    private long lastDrawnStep = -1;
    private long lastPlot;
    private boolean forcePlots = true;
    private long lastPlotStep = -1;
    private boolean dirty = true;
    private double dragX;
    private double dragY;
    private boolean dragged;
    private int selected = -1;
    private final int historyCapacity;

    /**
     * @param driver          the running simulation (this view steers it, never the other way round)
     * @param rasterWidth     raster pixels across
     * @param rasterHeight    raster pixels down
     * @param historyCapacity spikes kept for panning back
     */
    public LiveView(SimulationDriver driver, int rasterWidth, int rasterHeight, int historyCapacity) {
        this.driver = driver;
        this.rasterW = rasterWidth;
        this.rasterH = rasterHeight;
        this.historyCapacity = historyCapacity;
        rasterImage = new WritableImage(rasterW, rasterH);
        rasterView = new ImageView(rasterImage);
        rasterView.setId("raster");
        pixels = new int[rasterW * rasterH];
        rates = new Canvas(rasterW, 130);
        rates.setId("rates");
        traces = new Canvas(rasterW, 150);
        traces.setId("traces");
        status.setId("status");
        status.setFont(Font.font("Monospaced", 12));
        info.setFont(Font.font(12));
        playButton.setId("play");
        stepButton.setId("step");
        resetButton.setId("reset");
        seedField.setId("seed");
        followButton.setId("follow");
        speedSlider.setId("speed");
        projection.setId("projection");
        attach(driver.run());
        buildLayout();
        wireControls();
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (lastPulse != 0) {
                    pulseNanos[(int) (pulses % pulseNanos.length)] = now - lastPulse;
                    pulses++;
                }
                lastPulse = now;
                timedFrame();
            }
        };
    }

    private void buildLayout() {
        seedField.setPrefColumnCount(8);
        speedSlider.setPrefWidth(160);
        followButton.setSelected(true);
        HBox controls = new HBox(8, playButton, stepButton, new Label("speed"), speedSlider, speedLabel,
                new Label("seed"), seedField, resetButton, followButton);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setPadding(new Insets(6));
        VBox centre = new VBox(4, info, rasterView, new Label("population rates (Hz)"), rates,
                new Label("membrane potential (mV) of picked neurons: click the raster"), traces);
        centre.setPadding(new Insets(4, 6, 4, 6));
        weights.setFitWidth(256);
        weights.setFitHeight(256);
        weights.setPreserveRatio(false);
        weights.setSmooth(false);
        weights.setId("weights");
        weightInfo.setWrapText(true);
        weightInfo.setMaxWidth(256);
        VBox right = new VBox(6, new Label("weights of projection"), projection, weights, weightInfo);
        right.setPadding(new Insets(4, 6, 4, 6));
        right.setPrefWidth(270);
        root.setTop(controls);
        root.setCenter(centre);
        root.setRight(right);
        HBox bottom = new HBox(status);
        bottom.setPadding(new Insets(4, 6, 6, 6));
        HBox.setHgrow(status, Priority.ALWAYS);
        status.setMaxWidth(Region.USE_PREF_SIZE);
        root.setBottom(bottom);
    }

    private void wireControls() {
        playButton.setOnAction(e -> {
            if (playButton.isSelected()) {
                driver.play();
            } else {
                driver.pause();
            }
        });
        stepButton.setOnAction(e -> {
            playButton.setSelected(false);
            driver.stepOnce();
        });
        speedSlider.valueProperty().addListener((o, a, b) -> applySpeed());
        applySpeed();
        resetButton.setOnAction(e -> {
            long s;
            try {
                s = Long.parseLong(seedField.getText().trim());
            } catch (NumberFormatException ex) {
                info.setText("seed must be a whole number, was '" + seedField.getText() + "'");
                return;
            }
            playButton.setSelected(false);
            driver.reset(s);
        });
        followButton.setOnAction(e -> {
            if (followButton.isSelected()) {
                fit();
            }
        });
        projection.setOnAction(e -> showWeights());
        rasterView.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            dragX = e.getX();
            dragY = e.getY();
            dragged = false;
        });
        rasterView.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::drag);
        rasterView.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() != MouseButton.PRIMARY || dragged) {
                return;
            }
            if (e.getClickCount() == 2) {
                followButton.setSelected(true);
                fit();
            } else {
                pick(e.getX(), e.getY());
            }
        });
        rasterView.addEventHandler(ScrollEvent.SCROLL, this::zoom);
    }

    private void applySpeed() {
        double v = speedSlider.getValue();
        if (v >= speedSlider.getMax() - 1e-9) {
            driver.speed(0);
            speedLabel.setText("max");
        } else {
            double s = Math.pow(10, v);
            driver.speed(s);
            speedLabel.setText(String.format(Locale.ROOT, "%.3gx real time", s));
        }
    }

    /** A new run (start or reset): new history and grid, fit to the newest time. */
    private void attach(SimulationDriver.Run r) {
        run = r;
        history = new SpikeHistory(historyCapacity);
        int[] colours = Palette.first(r.groups().length);
        grid = new RasterGrid(rasterW, rasterH, r.groupSizes(), colours);
        stepsPerColumn = defaultStepsPerColumn(r.network());
        grid.view(0, stepsPerColumn * rasterW, 0, grid.neurons());
        seedField.setText(Long.toString(r.seed()));
        spikesSeen = 0;
        lastDrawnStep = -1;
        dirty = true;
        forcePlots = true;
        selected = -1;
        projection.getItems().clear();
        for (int k = 0; k < r.network().projections().size(); k++) {
            projection.getItems().add(WeightMap.label(r.network(), k));
        }
        if (!projection.getItems().isEmpty()) {
            projection.getSelectionModel().select(0);
        }
        showWeights();
        info.setText(String.format(Locale.ROOT, "%s: %d neurons in %s; %s", "network", grid.neurons(),
                String.join(", ", r.groups()), r.device()));
    }

    /** About 200 ms across at dt 0.1 ms (a whole number of steps per pixel column). */
    private long defaultStepsPerColumn(Network net) {
        long steps = Math.round(200.0 / net.dtMs());
        return Math.max(1, Math.round((double) steps / rasterW));
    }

    private void showWeights() {
        int k = projection.getSelectionModel().getSelectedIndex();
        if (k < 0) {
            weights.setImage(null);
            weightInfo.setText("no projections");
            return;
        }
        WeightMap m = WeightMap.of(run.network(), k, 256, 256);
        WritableImage img = new WritableImage(m.cols(), m.rows());
        img.getPixelWriter().setPixels(0, 0, m.cols(), m.rows(), PixelFormat.getIntArgbInstance(), m.pixels(), 0,
                m.cols());
        weights.setImage(img);
        weightInfo.setText(String.format(Locale.ROOT, "%s%n%d synapses; cell sum up to %.3g mV%nrows: source, columns:"
                + " target%nred > 0 > blue", m.title(), m.synapses(), m.maxAbs()));
    }

    /** Presses Run: the simulation runs and the button shows it. */
    public void play() {
        playButton.setSelected(true);
        driver.play();
    }

    /** Sets the speed control (and so the simulation): 1 real time, 0 as fast as possible. */
    public void setSpeed(double s) {
        speedSlider.setValue(s <= 0 ? speedSlider.getMax()
                : Math.max(speedSlider.getMin(), Math.min(speedSlider.getMax() - 0.01, Math.log10(s))));
        applySpeed();
    }

    /** The root node, to put in a Scene. */
    public Parent root() {
        return root;
    }

    /** Starts drawing, one frame per JavaFX pulse. */
    public void start() {
        timer.start();
    }

    public void stop() {
        timer.stop();
    }

    /**
     * One frame, as the timer draws it: drain, bin, paint; plots and status at most every {@link #PLOT_INTERVAL_NS}.
     */
    void timedFrame() {
        frame(false);
    }

    /** One frame with everything redrawn: drain, bin, paint, plots, status. For tests and tools that drive frames. */
    public void frame() {
        frame(true);
    }

    private void frame(boolean all) {
        forcePlots |= all;
        long t0 = System.nanoTime();
        SimulationDriver.Run r = driver.run();
        if (r != run) {
            run.feed().drain((s, n) -> { });
            attach(r);
        }
        long now = driver.step();
        boolean follow = followButton.isSelected();
        int got = run.feed().drain((s, n) -> {
            history.add(s, n);
            if (follow && s >= grid.fromStep() + grid.spanSteps()) {
                scrollToInclude(s);
            }
            grid.add(s, n);
        });
        spikesSeen += got;
        if (follow && now > 0) {
            scrollToInclude(now - 1);
        }
        if (dirty || got > 0 || now != lastDrawnStep || all) {
            grid.paint(pixels, rasterW, 0, 0);
            if (selected >= 0) {
                markSelected();
            }
            rasterImage.getPixelWriter().setPixels(0, 0, rasterW, rasterH, PixelFormat.getIntArgbPreInstance(), pixels,
                    0, rasterW);
            dirty = false;
        }
        // the plots and the status line change less than the raster: redrawn at most every PLOT_INTERVAL
        boolean plots = forcePlots
                || (now != lastPlotStep && (t0 - lastPlot >= PLOT_INTERVAL_NS || now == lastDrawnStep));
        if (plots) {
            LivePlots.rates(rates, run, grid, lastVisibleStep());
            LivePlots.traces(traces, driver, grid, run.network().dtMs());
            lastPlot = t0;
            lastPlotStep = now;
            forcePlots = false;
        }
        lastDrawnStep = now;
        long took = System.nanoTime() - t0;
        frameNanos[(int) (frames % frameNanos.length)] = took;
        frames++;
        if (!plots) {
            return;
        }
        Throwable f = driver.failure();
        double dt = run.network().dtMs();
        status.setText(String.format(Locale.ROOT,
                "step %d  t = %.1f ms  %s  spikes %d  dropped %d  frame %.1f ms (median %.1f)%s", now, now * dt,
                driver.running() ? "running" : "paused", spikesSeen, run.feed().dropped(), took / 1e6,
                medianFrameMs(), f == null ? "" : "  STOPPED: " + f.getMessage()));
        if (playButton.isSelected() && (f != null || driver.atLimit())) {
            playButton.setSelected(false);
        }
    }

    private void scrollToInclude(long s) {
        long span = grid.spanSteps();
        if (s < grid.fromStep() + span) {
            return;
        }
        long newFrom = (s / stepsPerColumn + 1) * stepsPerColumn - span;
        if (!grid.scrollTo(newFrom)) {
            rebin(newFrom, grid.neuronFrom(), grid.neuronTo());
        }
    }

    private void rebin(long from, int nFrom, int nTo) {
        dirty = true;
        grid.view(from, stepsPerColumn * rasterW, nFrom, nTo);
        history.forEach(from, from + grid.spanSteps(), grid::add);
    }

    private void fit() {
        long now = driver.step();
        stepsPerColumn = defaultStepsPerColumn(run.network());
        long span = stepsPerColumn * rasterW;
        long from = Math.max(0, (now / stepsPerColumn + 1) * stepsPerColumn - span);
        rebin(from, 0, grid.neurons());
    }

    private void drag(MouseEvent e) {
        double dx = e.getX() - dragX;
        double dy = e.getY() - dragY;
        if (Math.abs(dx) < 3 && Math.abs(dy) < 3 && !dragged) {
            return;
        }
        dragged = true;
        followButton.setSelected(false);
        long cols = Math.round(dx);
        long from = Math.max(0, grid.fromStep() - cols * stepsPerColumn);
        int nSpan = grid.neuronTo() - grid.neuronFrom();
        int dn = (int) Math.round(dy * nSpan / rasterH);
        int nFrom = Math.max(0, Math.min(grid.neurons() - nSpan, grid.neuronFrom() + dn));
        rebin(from, nFrom, nFrom + nSpan);
        dragX = e.getX();
        dragY = e.getY();
    }

    private void zoom(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        boolean in = e.getDeltaY() > 0;
        if (e.isShiftDown()) {
            int nSpan = grid.neuronTo() - grid.neuronFrom();
            int anchor = grid.neuronAt((int) e.getY());
            int newSpan = Math.max(1, Math.min(grid.neurons(), in ? nSpan / 2 : nSpan * 2));
            double frac = (double) (anchor - grid.neuronFrom()) / nSpan;
            int nFrom = (int) Math.round(anchor - frac * newSpan);
            nFrom = Math.max(0, Math.min(grid.neurons() - newSpan, nFrom));
            rebin(grid.fromStep(), nFrom, nFrom + newSpan);
        } else {
            long anchor = grid.stepAt((int) e.getX());
            long newPer = in ? Math.max(1, stepsPerColumn / 2) : stepsPerColumn * 2;
            if (newPer == stepsPerColumn) {
                return;
            }
            followButton.setSelected(false);
            long from = Math.max(0, anchor - (long) (e.getX() * newPer));
            from = from / newPer * newPer;
            stepsPerColumn = newPer;
            rebin(from, grid.neuronFrom(), grid.neuronTo());
        }
    }

    /** Selects the neuron under pixel row {@code y} and asks the simulation to trace it. */
    private void pick(double x, double y) {
        int n = grid.neuronAt((int) y);
        if (n < 0) {
            return;
        }
        selected = n;
        dirty = true;
        forcePlots = true;
        int g = grid.group(n);
        int local = n - grid.groupStart(g);
        driver.probe(g, local);
        info.setText(String.format(Locale.ROOT, "picked %s[%d] (raster row %d, t = %.1f ms)", run.groups()[g], local,
                (int) y, grid.stepAt((int) x) * run.network().dtMs()));
    }

    private void markSelected() {
        int b = grid.neuronBin(selected);
        if (b < 0) {
            return;
        }
        for (int y = 0; y < rasterH; y++) {
            if (grid.neuronAt(y) == selected || (grid.neuronBin(grid.neuronAt(y)) == b)) {
                int row = y * rasterW;
                for (int x = 0; x < 4; x++) {
                    pixels[row + x] = 0xFF000000;
                }
            }
        }
    }

    private long lastVisibleStep() {
        return Math.min(grid.fromStep() + grid.spanSteps(), driver.step());
    }

    /** Median time of the last frames, ms. */
    public double medianFrameMs() {
        long[] c = frameNanos();
        if (c.length == 0) {
            return 0;
        }
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }

    /** Time this view spent on each of the last frames (at most 600; drain, bin, paint, plot), ns, in no order. */
    public long[] frameNanos() {
        return Arrays.copyOf(frameNanos, (int) Math.min(frames, frameNanos.length));
    }

    /** Intervals between the last JavaFX pulses that drew a frame (at most 600), ns, in no order: 1/frame rate. */
    public long[] pulseNanos() {
        return Arrays.copyOf(pulseNanos, (int) Math.min(pulses, pulseNanos.length));
    }

    /** Forgets the frame and pulse times measured so far (for a measurement that starts now). */
    public void resetFrameStats() {
        frames = 0;
        pulses = 0;
        lastPulse = 0;
    }

    public long frames() {
        return frames;
    }

    /** The raster's binned spikes (what was painted in the last frame). */
    public RasterGrid grid() {
        return grid;
    }

    /** The raster's image node, for clicks in tests. */
    public ImageView rasterNode() {
        return rasterView;
    }

    public WritableImage rasterImage() {
        return rasterImage;
    }

    /** Layout index of the neuron picked last, or -1. */
    public int selected() {
        return selected;
    }

    public Label status() {
        return status;
    }

    /** Spikes drained from the feed since the run started. */
    public long spikesSeen() {
        return spikesSeen;
    }

    /** Shows steps {@code [from, from + stepsPerColumn * width)} and neurons {@code [nFrom, nTo)}; stops following. */
    public void show(long from, long perColumn, int nFrom, int nTo) {
        followButton.setSelected(false);
        stepsPerColumn = Math.max(1, perColumn);
        rebin(from, nFrom, nTo);
    }
}
