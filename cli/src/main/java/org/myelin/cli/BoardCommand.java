package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.edge.Board;
import org.myelin.backend.edge.ModelImage;
import org.myelin.core.MyelinException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin deploy} and {@code myelin board}: a board (or the emulator) over a serial port. */
final class BoardCommand {
    private BoardCommand() {
    }

    /** Port options shared by the commands. */
    static final class PortOptions {
        @Option(names = "--port", required = true,
                description = "serial device of the board (or of the emulator's pty)")
        String port;
        @Option(names = "--baud", defaultValue = "115200",
                description = "serial line speed in baud (default: ${DEFAULT-VALUE})")
        int baud;
        @Option(names = "--timeout", defaultValue = "1000",
                description = "ms to wait for each answer (default: ${DEFAULT-VALUE})")
        int timeoutMs;

        Board open() {
            return new Board(Board.serial(port, baud), timeoutMs);
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = {"Flashes a model image to a board.",
                "Handshake, upload into the inactive slot (resuming an interrupted upload of the same image),"
                    + " verify, activate (the board self-tests it and keeps the previous image if it fails)."})
    static final class Deploy implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @CommandLine.Mixin
        PortOptions port;
        @Parameters(index = "0", paramLabel = "IMAGE", description = "model image (myelin edge compress --out)")
        Path image;
        @Option(names = "--slot", description = "slot to write (default: the one not active)")
        Integer slot;
        @CommandLine.Mixin
        ProgressOptions progress;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(image)) {
                throw new MyelinException("no model image at " + image);
            }
            byte[] img = Files.readAllBytes(image);
            ModelImage.check(img);
            PrintWriter out = spec.commandLine().getOut();
            try (Board b = port.open()) {
                Board.Hello h = b.hello();
                int s = slot != null ? slot : h.active() == 0 ? 1 : 0;
                if (s < 0 || s >= h.slots()) {
                    throw new MyelinException("--slot must be in [0, " + h.slots() + "), was " + s);
                }
                if (img.length > h.maxImage()) {
                    throw new MyelinException("the image has " + img.length + " bytes; the board takes at most "
                            + h.maxImage());
                }
                long from;
                try (me.tongfei.progressbar.ProgressBar bar = progress.enabled()
                        ? org.myelin.learning.train.ProgressBars.open("upload", img.length, " kB", 1000) : null) {
                    from = b.upload(s, img, bar == null ? null : bar::stepTo);
                }
                b.verify(s);
                int active = b.activate(s);
                out.printf(Locale.ROOT, "deployed %s (%d bytes) to slot %d%s; active slot %d; %d retransmissions%n",
                        image.getFileName(), img.length, s, from > 0 ? " (resumed at byte " + from + ")" : "", active,
                        b.retransmissions());
            }
            return 0;
        }
    }

    @Command(name = "board", mixinStandardHelpOptions = true, description = "Talk to a board over a serial port.",
            subcommands = {Info.class, Run.class, Stats.class})
    static final class Root implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: info, run or stats");
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Protocol, slots and the active image.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @CommandLine.Mixin
        PortOptions port;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Board b = port.open()) {
                Board.Hello h = b.hello();
                out.printf(Locale.ROOT, "protocol %d, image format %d, images up to %d bytes, %d slots, active %s%n",
                        h.protocol(), h.imageFormat(), h.maxImage(), h.slots(), h.active() < 0 ? "none" : h.active());
                Board.Slot[] s = b.info();
                String[] states = {"empty", "partial", "complete", "verified"};
                for (int k = 0; k < s.length; k++) {
                    StringBuilder sha = new StringBuilder();
                    for (int i = 0; i < 8; i++) {
                        sha.append(String.format("%02x", s[k].sha256()[i]));
                    }
                    out.printf(Locale.ROOT, "  slot %d: %s, %d of %d bytes, sha256 %s...%n", k,
                            states[Math.min(3, Math.max(0, s[k].state()))], s[k].confirmed(), s[k].length(), sha);
                }
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Streams windows (the runtime's window file: edge compress --windows-out) and prints the classes.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @CommandLine.Mixin
        PortOptions port;
        @Parameters(index = "0", paramLabel = "WINDOWS", description = "window file")
        Path windows;
        @Option(names = "--limit", defaultValue = "2147483647", description = "windows to send at most")
        int limit;

        @Override
        public Integer call() throws IOException {
            byte[] f = Files.readAllBytes(windows);
            var bb = java.nio.ByteBuffer.wrap(f).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (f.length < 12) {
                throw new MyelinException(windows + ": not a window file (no header)");
            }
            int n = bb.getInt();
            int steps = bb.getInt();
            int inputs = bb.getInt();
            long cells = (long) n * steps * inputs;
            boolean values = cells > 0 && 12 + 2 * cells == f.length;
            if (!values && 12 + cells != f.length) {
                throw new MyelinException(windows + ": the header promises " + n + " windows of " + steps + " x "
                        + inputs + " spikes (bytes) or values (int16), which is neither the file's length");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Board b = port.open()) {
                b.hello();
                long lat = 0;
                long macs = 0;
                int sent = Math.min(n, limit);
                for (int w = 0; w < sent; w++) {
                    boolean[][] s = values ? null : new boolean[steps][inputs];
                    int[][] x = values ? new int[steps][inputs] : null;
                    for (int t = 0; t < steps; t++) {
                        for (int i = 0; i < inputs; i++) {
                            int k = (w * steps + t) * inputs + i;
                            if (values) {
                                x[t][i] = (short) ((f[12 + 2 * k] & 0xFF) | f[13 + 2 * k] << 8);
                            } else {
                                s[t][i] = f[12 + k] != 0;
                            }
                        }
                    }
                    Board.Result r = values ? b.run(x) : b.run(s);
                    lat += r.latencyUs();
                    macs += r.macs();
                    int best = 0;
                    for (int c = 1; c < r.counts().length; c++) {
                        best = r.counts()[c] > r.counts()[best] ? c : best;
                    }
                    out.println("window " + w + ": class " + best + " counts " + java.util.Arrays.toString(r.counts()));
                }
                out.printf(Locale.ROOT, "%d windows of %s, board latency %.1f us a window, %.0f multiply-accumulates a"
                                + " window, %d retransmissions%n", sent, values ? "values" : "spikes",
                        sent == 0 ? 0.0 : (double) lat / sent, sent == 0 ? 0.0 : (double) macs / sent,
                        b.retransmissions());
            }
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Windows run, latency and operations.")
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @CommandLine.Mixin
        PortOptions port;

        @Override
        public Integer call() {
            try (Board b = port.open()) {
                b.hello();
                Board.Stats s = b.stats();
                spec.commandLine().getOut().printf(Locale.ROOT, "windows %d, latency mean %.1f us, max %d us,"
                        + " accumulates %d (%.0f a window), multiply-accumulates %d%n", s.windows(), s.windows() == 0
                        ? 0.0 : (double) s.totalLatencyUs() / s.windows(), s.maxLatencyUs(), s.accumulates(),
                        s.windows() == 0 ? 0.0 : (double) s.accumulates() / s.windows(), s.macs());
            }
            return 0;
        }
    }
}
