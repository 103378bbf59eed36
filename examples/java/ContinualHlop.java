import java.util.List;
import java.util.Random;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.hlop.ContinualLearning;
import org.myelin.learning.train.LabelledData;

public class ContinualHlop {
    public static void main(String[] args) {
        // ten classes, each a random prototype of 64 features plus noise: 700 training and 200 test samples
        int n = 900;
        int f = 64;
        Random r = new Random(1);
        float[][] prototype = new float[10][f];
        for (float[] p : prototype) {
            for (int j = 0; j < f; j++) {
                p[j] = r.nextFloat();
            }
        }
        float[] x = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int j = 0; j < f; j++) {
                x[i * f + j] = Math.max(0f, prototype[y[i]][j] + 0.3f * (float) r.nextGaussian());
            }
        }
        LabelledData all = new LabelledData(x, y, f, 10);
        LabelledData test = new LabelledData(java.util.Arrays.copyOfRange(x, 700 * f, n * f),
                java.util.Arrays.copyOfRange(y, 700, n), f, 10);
        // three tasks: the same classes seen through three fixed permutations of the features
        List<ContinualLearning.Task> tasks = ContinualLearning.permuted(all.head(700), test, 3, 2);

        // 64 inputs, 32 DSR-LIF hidden neurons, 10 outputs; 6 steps per sample, SGD (lr 0.2, batch 16), 3 epochs a
        // task; HLOP's lateral neurons: 20 and 16 for the first task, 20 and 8 added per later task
        ContinualLearning.Settings s = new ContinualLearning.Settings(new int[] {32}, ContinualLearning.Neurons.DSR,
                6, 16, 0.2, 3, 3, new int[] {20, 16}, new int[][] {{20, 8}}, new float[] {0.01f, 0.01f}, 5, 0, 0);
        ContinualLearning.Result fine = ContinualLearning.run(tasks, ContinualLearning.Method.FINETUNE, s, null);
        ContinualLearning.Result hlop = ContinualLearning.run(tasks, ContinualLearning.Method.HLOP, s, null);
        System.out.printf("fine-tuning: ACC %.1f %%, BWT %.1f %%%n", 100 * fine.acc(), 100 * fine.bwt());
        System.out.printf("HLOP:        ACC %.1f %%, BWT %.1f %%%n", 100 * hlop.acc(), 100 * hlop.bwt());
        double[][] a = hlop.accuracy();                                       // a[after task t][on task k]
        System.out.printf("HLOP on task 0: %.1f %% after learning it, %.1f %% after task 2%n", 100 * a[0][0],
                100 * a[2][0]);

        // the trained HLOP model on the core: every test sample's hidden spikes and class against the training graph
        for (ContinualLearning.Task task : tasks) {
            int identical = 0;
            int sameClass = 0;
            long spikes = 0;
            for (int i = 0; i < 20; i++) {
                var ag = NetworkExport.verify(hlop.model(), ContinualLearning.testSample(task.test(),
                        i, s), s.timeSteps(), Backends.find("cpu"), new SimulationConfig(1), task.classes());
                identical += ag.identical() ? 1 : 0;
                sameClass += ag.coreClass() == ag.graphClass() ? 1 : 0;
                spikes += ag.spikes();
            }
            System.out.printf("%s on the core: %d of 20 samples with identical spikes (%d hidden spikes), %d of 20"
                    + " with the same class%n", task.name(), identical, spikes, sameClass);
        }
    }
}
