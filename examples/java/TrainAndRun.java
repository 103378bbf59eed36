import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;
import org.myelin.learning.train.TrainingConfig;

public class TrainAndRun {
    public static void main(String[] args) {
        // a toy task: 3 classes of 30 features, each class lights its own third
        int n = 600;
        float[] x = new float[n * 30];
        int[] y = new int[n];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int j = 0; j < 30; j++) {
                x[i * 30 + j] = (j / 10 == y[i] ? 0.6f : 0f) + 0.4f * r.nextFloat();
            }
        }
        LabelledData data = new LabelledData(x, y, 30, 3);
        SpikingMlp model = new SpikingMlp(30, new int[] {40, 3},
                (name, size) -> LeakyNeuron.builder(size).name(name).beta(0.9f, false).resetDelay(false).build(),
                SpikingMlp.Readout.SPIKE_COUNT, 1);
        Optimizer adam = Optimizer.adam(model.parameters(), LearningRateSchedule.constant(5e-3), 0.9, 0.999, 1e-8, 0);
        Trainer trainer = new Trainer(model, adam, new TrainingConfig(5, 32, 10, 1, Encoding.RATE, null, null, false));
        trainer.fit(data.head(500), null);
        System.out.printf("test accuracy %.1f %%%n", 100 * trainer.evaluate(
                new LabelledData(java.util.Arrays.copyOfRange(x, 500 * 30, n * 30),
                        java.util.Arrays.copyOfRange(y, 500, n), 30, 3)));

        // the trained network on the CPU backend, driven by one sample's spikes (10 steps of 30 inputs)
        Tensor sample = Encoding.RATE.encode(data, new int[] {0}, 0, 1, 10, 1, 0);
        NetworkExport.Exported exported = NetworkExport.export(model,
                Tensor.of(sample.data(), 10, 30), 10, 1.0);
        try (CompiledNetwork sim = Backends.find("cpu").compile(exported.network(), SimulationConfig.defaults());
             Recording rec = Recording.inMemory()) {
            sim.run(exported.stepsToRun(2), rec);
            System.out.printf("output spikes on the core: %d%n", rec.memory().spikes("layer1").size());
        }
    }
}
