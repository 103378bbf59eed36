import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myelin.backend.edge.Board;
import org.myelin.backend.edge.Compression;
import org.myelin.backend.edge.FixedPointNet;
import org.myelin.backend.edge.ModelImage;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.l2mu.HarWindows;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.lmu.L2muExport;
import org.myelin.learning.lmu.L2muTraining;

public class L2muToBoard {
    public static void main(String[] args) throws Exception {
        Path firmware = Path.of(args[0]);                 // the repository's firmware/ folder
        Path work = Path.of(args[1]);                     // where the emulator, its state and the ptys go

        // synthetic smartwatch data: 8 subjects x 7 activities x 30 s, in 2 s windows of 6 channels; the test
        // windows are those of other subjects than the training windows
        HarWindows har = HarWindows.load("synthetic-har", 8, 30, 40, 1);
        L2muTraining.Windows train = har.train();
        L2muTraining.Windows test = har.test();
        // a small L2MU (order 4, theta 10, 32 hidden and 8 memory neurons) whose neurons reset in the step they
        // spike, as the core's and the board's do
        L2mu model = new L2mu(L2mu.Spec.reference(6, 7, L2mu.Neuron.LIF, L2mu.Encoder.PLAIN, 1)
                .withSizes(4, 10, 32, 8).withImmediateReset(true));
        L2muTraining tr = new L2muTraining(model, 5e-3, 32, 1);  // Adam, lr 5e-3, batches of 32
        List<L2muTraining.Epoch> epochs = tr.fit(train, test, 8, null);
        System.out.printf("%d train / %d test windows; float test accuracy %.1f %%%n", train.size(), test.size(),
                100 * epochs.get(epochs.size() - 1).testAccuracy());

        // 1. the trained cell on the core: each window exported to a multi-rate network and run on the cpu backend
        int identical = 0;
        for (int i = 0; i < 10; i++) {
            L2muExport.Agreement a = L2muExport.verify(model, tr.batch(test, new int[] {i}, 0, 1),
                    Backends.find("cpu"), new SimulationConfig(1));
            identical += a.identical() && a.coreClass() == a.graphClass() ? 1 : 0;
        }
        System.out.printf("core: %d of 10 windows with the training graph's spikes and class%n", identical);

        // 2. compressed to int8 fixed point and written as a board image
        FixedPointNet q = Compression.compress(model, 8, 0);
        byte[] image = ModelImage.write(q);
        System.out.printf("int8 image: %d bytes (%d bytes of parameters; the float model's: %d)%n", image.length,
                q.parameterBytes(), 4 * model.parameterCount());

        // 3. the board emulator (firmware/host/emulator.c) on one end of a pseudo-terminal pair, this program on
        // the other, talking the serial protocol as to a board
        Path emulator = work.resolve("emulator");
        run(List.of("cc", "-std=c99", "-O2", "-o", emulator.toString(), firmware.resolve("src/myelin_rt.c")
                .toString(), firmware.resolve("src/myelin_board.c").toString(), firmware.resolve("host/emulator.c")
                .toString()));
        Path board = work.resolve("ttyBoard");
        Path host = work.resolve("ttyHost");
        List<Process> started = new ArrayList<>();
        try {
            started.add(start(List.of("socat", "pty,raw,echo=0,link=" + board, "pty,raw,echo=0,link=" + host)));
            for (int i = 0; i < 100 && !(Files.exists(board) && Files.exists(host)); i++) {
                Thread.sleep(50);
            }
            started.add(start(List.of(emulator.toString(), board.toString(),
                    Files.createDirectories(work.resolve("state")).toString())));
            Thread.sleep(200);
            try (Board b = new Board(Board.serial(host.toString(), 115200), 500)) {
                System.out.printf("board: protocol %d%n", b.hello().protocol());
                b.upload(0, image, null);
                b.verify(0);
                b.activate(0);
                int n = test.size();
                int same = 0;
                int correct = 0;
                int floatCorrect = 0;
                long macs = 0;
                long accumulates = 0;
                for (int i = 0; i < n; i++) {
                    float[] window = tr.batch(test, new int[] {i}, 0, 1).data();      // standardised values
                    int[][] x = Compression.quantiseInput(window, test.steps(), 6);    // as Q8 integers
                    Board.Result r = b.run(x);
                    same += java.util.Arrays.equals(r.counts(), q.run(x, null)) ? 1 : 0;
                    correct += FixedPointNet.argmax(r.counts()) == test.labels()[i] ? 1 : 0;
                    int[] floatCounts = Compression.floatCounts(model, window, test.steps());
                    floatCorrect += FixedPointNet.argmax(floatCounts) == test.labels()[i] ? 1 : 0;
                    macs += r.macs();
                    accumulates += r.accumulates();
                }
                System.out.printf("board: %d of %d windows with the Java reference's counts; accuracy %.1f %% (the"
                        + " float model: %.1f %%)%n", same, n, 100.0 * correct / n, 100.0 * floatCorrect / n);
                System.out.printf("board: per window %d accumulates, %d multiply-accumulates%n", accumulates / n,
                        macs / n);
            }
        } finally {
            for (Process p : started) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static Process start(List<String> command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
    }
}
