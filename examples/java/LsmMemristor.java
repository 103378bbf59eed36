import java.util.List;
import java.util.Random;
import org.myelin.backend.memristor.CrossbarReport;
import org.myelin.backend.memristor.lsm.Reservoir;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.data.Standardisation;
import org.myelin.experiments.probe.LinearProbe;

public class LsmMemristor {
    static final int SIDE = 8;
    static final int BINS = 20;

    /** One sample of class c: a bar (horizontal, vertical, diagonal, anti-diagonal) at a random offset, flickering. */
    static boolean[][] sample(int c, Random r) {
        int offset = r.nextInt(5) - 2;
        boolean[][] frames = new boolean[BINS][SIDE * SIDE];
        for (int t = 0; t < BINS; t++) {
            for (int i = 0; i < SIDE; i++) {
                for (int j = 0; j < SIDE; j++) {
                    boolean on = switch (c) {
                        case 0 -> i == 3 + offset || i == 4 + offset;
                        case 1 -> j == 3 + offset || j == 4 + offset;
                        case 2 -> Math.abs(i - j - offset) <= 1;
                        default -> Math.abs(i + j - 7 - offset) <= 1;
                    };
                    frames[t][i * SIDE + j] = r.nextDouble() < (on ? 0.25 : 0.08);
                }
            }
        }
        return frames;
    }

    public static void main(String[] args) {
        int train = 160;
        int test = 160;
        Random r = new Random(4);
        boolean[][][] samples = new boolean[train + test][][];
        int[] labels = new int[train + test];
        for (int k = 0; k < samples.length; k++) {
            labels[k] = k % 4;
            samples[k] = sample(labels[k], r);
        }
        // 64 inputs, 100 neurons, decay 0.9, threshold 5, input and recurrent weight spreads 3 and 1
        Reservoir liquid = new Reservoir(SIDE * SIDE, 100, 0.9, 5.0, 3.0, 1.0, 1);
        Backend memristor = Backends.find("memristor");

        // ideal devices give the cpu backend's spikes bit for bit
        boolean same = true;
        for (int k = 0; k < 20; k++) {
            same &= java.util.Arrays.equals(liquid.counts(Backends.find("cpu"), new SimulationConfig(1), samples[k]),
                    liquid.counts(memristor, new SimulationConfig(1).withDevice("ideal"), samples[k]));
        }
        System.out.printf("ideal devices give the cpu backend's counts: %b%n", same);

        // the sweep: the same liquid on crossbars with more and more read noise (relative sigma, drawn at every read)
        for (String device : List.of("ideal", "ideal,read=0.3", "ideal,read=1", "ideal,read=3", "ideal,read=10")) {
            SimulationConfig config = new SimulationConfig(1).withDevice(device);
            double[][] x = new double[samples.length][];
            CrossbarReport[] report = {CrossbarReport.NONE};
            long spikes = 0;
            for (int k = 0; k < samples.length; k++) {
                int[] counts = liquid.counts(memristor, config, samples[k], rep -> report[0] = report[0].plus(rep));
                x[k] = new double[counts.length];
                for (int j = 0; j < counts.length; j++) {
                    x[k][j] = counts[j];
                    spikes += counts[j];
                }
            }
            double[][] xtr = java.util.Arrays.copyOfRange(x, 0, train);
            double[][] xte = java.util.Arrays.copyOfRange(x, train, train + test);
            int[] ytr = java.util.Arrays.copyOfRange(labels, 0, train);
            int[] yte = java.util.Arrays.copyOfRange(labels, train, train + test);
            Standardisation.perFeature(xtr, xte);
            LinearProbe readout = new LinearProbe(100, 4);                   // logistic regression on the counts
            readout.train(xtr, ytr, 30, 0.01, 1);
            System.out.printf("%-15s test accuracy %5.1f %%, %.1f spikes per neuron and sample, %d cell reads per"
                    + " sample%n", device, 100 * readout.accuracy(xte, yte), (double) spikes / samples.length / 100,
                    report[0].cellReads() / report[0].runs());
            if (device.equals("ideal")) {
                System.out.println("  " + report[0].summary());
            }
        }
    }
}
