import java.util.List;
import java.util.Random;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.experiments.sdt.SdtEnergyModel;
import org.myelin.learning.sdt.MetaSpikeFormer;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.sdt.SdtTraining;
import org.myelin.learning.train.LabelledData;

public class SpikeDriven {
    /** n images of 16 x 16: class 0 horizontal stripes, 1 vertical stripes, 2 diagonal stripes, at random phases. */
    static LabelledData images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 256];
        int[] y = new int[n];
        for (int k = 0; k < n; k++) {
            y[k] = k % 3;
            int phase = r.nextInt(4);
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    int line = y[k] == 0 ? i : y[k] == 1 ? j : i + j;
                    float v = (line + phase) % 4 < 2 ? 0.8f : 0.1f;
                    x[k * 256 + i * 16 + j] = Math.max(0f, Math.min(1f, v + 0.15f * (float) r.nextGaussian()));
                }
            }
        }
        return new LabelledData(x, y, 256, 3);
    }

    public static void main(String[] args) {
        LabelledData train = images(600, 1);
        LabelledData test = images(60, 2);
        // 1 x 16 x 16 input, T = 2; a conv stage of width 8 (3x3, stride 2) and an attention stage of width 16 with
        // 2 heads (SDSA-3, RepConv), MLP ratio 2, 3 classes
        SdtSpec spec = new SdtSpec(1, 16, 3, 2, SdtSpec.parseStages("8c1k3s2,16a1k3s2"), 2, 2, "sdsa3", true, 1);
        MetaSpikeFormer model = new MetaSpikeFormer(spec);
        SdtTraining.train(model, train, test, new SdtTraining.Options(8, 16, 5e-3, 0.01, 10, 1, false),
                epoch -> System.out.printf("epoch %d: test accuracy %.1f %%%n", epoch.epoch(),
                        100 * epoch.testAccuracy()));
        SdtTraining.Evaluation eval = SdtTraining.evaluate(model, test, 60);

        // batch norms folded, RepConvs merged: a program that only adds after its first layer, run event-driven
        SpikeProgram program = model.export();
        SpikeDrivenEngine engine = new SpikeDrivenEngine(program);
        float[][] samples = new float[test.size()][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = java.util.Arrays.copyOfRange(test.values(), i * 256, (i + 1) * 256);
        }
        List<SpikeDrivenEngine.Result> results = engine.runAll(samples, 1);
        int correct = 0;
        int same = 0;
        long[] macs = new long[program.nodes().size()];
        long[] acs = new long[macs.length];
        long[] adds = new long[macs.length];
        for (int i = 0; i < samples.length; i++) {
            SpikeDrivenEngine.Result r = results.get(i);
            correct += r.prediction() == test.labels()[i] ? 1 : 0;
            same += r.prediction() == eval.predictions()[i] ? 1 : 0;
            for (int k = 0; k < macs.length; k++) {
                macs[k] += r.macs()[k];
                acs[k] += r.acs()[k];
                adds[k] += r.adds()[k];
            }
        }
        System.out.printf("training graph %.1f %%, spike-driven engine %.1f %%, the same class on %d of %d images%n",
                100 * eval.accuracy(), 100.0 * correct / samples.length, same, samples.length);
        System.out.println("per image, by layer: MACs, ACs (additions selected by spikes), bias/shortcut additions");
        long later = 0;
        long allMacs = 0;
        long allAcs = 0;
        for (int k = 0; k < macs.length; k++) {
            if (macs[k] + acs[k] + adds[k] > 0) {
                System.out.printf("  %-28s %8d %8d %8d%n", program.nodes().get(k).name(), macs[k] / samples.length,
                        acs[k] / samples.length, adds[k] / samples.length);
            }
            boolean first = program.nodes().get(k) instanceof SpikeProgram.Conv c && c.input() == 0;
            later += first ? 0 : macs[k];
            allMacs += macs[k];
            allAcs += acs[k];
        }
        System.out.printf("MACs after the first layer: %d; energy per image %.2f nJ (4.6 pJ per MAC, 0.9 pJ per AC)%n",
                later, SdtEnergyModel.countedPj((double) allMacs / samples.length, (double) allAcs / samples.length)
                        / 1e3);
    }
}
