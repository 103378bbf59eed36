package org.myelin.viz.live;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.myelin.core.MyelinException;

/**
 * Opens the live view in a window (starting the JavaFX toolkit if needed), and optionally saves a screenshot of it
 * after a given number of steps. Works without an {@code Application} subclass, so it runs from the plain command-line
 * jar.
 */
public final class LiveApp {
    /**
     * JavaFX warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" when it runs from
     * the class path, as it does from the command-line jar; it works there all the same, so the warning is silenced
     * (held here so that the logger and its level stay).
     */
    private static final java.util.logging.Logger FX_LOG = java.util.logging.Logger.getLogger("javafx");

    private static volatile boolean running;

    private LiveApp() {
    }

    /** Stops the JavaFX toolkit if this class started it (when it failed to start, there is nothing to stop). */
    public static void exit() {
        if (running) {
            Platform.exit();
            running = false;
        }
    }

    /** Starts the JavaFX toolkit once; clear message when there is no display. */
    public static void startToolkit() {
        FX_LOG.setLevel(java.util.logging.Level.SEVERE);
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException alreadyRunning) {
            started.countDown();
        } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
            throw new MyelinException("cannot open a window: " + e.getMessage() + ". Set DISPLAY (or run under xvfb-run),"
                    + " or export figures headless with --raster/--rates instead", e);
        }
        Platform.setImplicitExit(false);
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                throw new MyelinException("the JavaFX toolkit did not start within 30 s");
            }
            running = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException("interrupted while starting JavaFX", e);
        }
    }

    /** Runs {@code task} on the JavaFX thread and waits for its result. */
    public static <T> T onFx(java.util.function.Supplier<T> task) {
        if (Platform.isFxApplicationThread()) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new MyelinException("JavaFX task failed: " + c, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MyelinException("JavaFX task did not finish within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException("interrupted", e);
        }
    }

    /** Opens a window with a live view of {@code driver}; returns the view. Call from any thread but the FX thread. */
    public static LiveView open(SimulationDriver driver, String title, int rasterWidth, int rasterHeight,
                                Runnable onClose) {
        startToolkit();
        return onFx(() -> {
            LiveView v = new LiveView(driver, rasterWidth, rasterHeight, 1 << 23);
            Stage stage = new Stage();
            stage.setTitle(title);
            stage.setScene(new Scene(v.root()));
            stage.setOnHidden(e -> {
                v.stop();
                if (onClose != null) {
                    onClose.run();
                }
            });
            stage.show();
            v.start();
            return v;
        });
    }

    /** Saves the whole window of {@code view} as a PNG. */
    public static void screenshot(LiveView view, Path file) {
        WritableImage img = onFx(() -> view.root().getScene().snapshot(null));
        BufferedImage b = SwingFXUtils.fromFXImage(img, null);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            ImageIO.write(b, "png", file.toFile());
        } catch (IOException e) {
            throw new MyelinException("cannot write screenshot " + file + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the simulation reaches {@code step} (or fails, or {@code timeoutMs} passes). */
    public static void awaitStep(SimulationDriver driver, long step, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        AtomicReference<Throwable> f = new AtomicReference<>();
        while (driver.step() < step) {
            f.set(driver.failure());
            if (f.get() != null) {
                throw new MyelinException("simulation stopped: " + f.get().getMessage(), f.get());
            }
            if (System.nanoTime() > end) {
                throw new MyelinException("simulation reached step " + driver.step() + " of " + step + " in " + timeoutMs
                        + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
