import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.nir.NirExport;
import org.myelin.nir.NirFile;
import org.myelin.nir.NirNetwork;
import org.myelin.nir.NirNode;
import org.myelin.nir.NirReader;

public class NirRoundTrip {
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : ".").resolve("network.nir");
        int steps = 400;
        double[][] input = new double[steps][6];                               // 6 input channels, 0/1 per step
        List<Integer> who = new ArrayList<>();
        List<Long> when = new ArrayList<>();
        Random random = new Random(5);
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < 6; k++) {
                if (random.nextDouble() < 0.05) {
                    input[s][k] = 1;
                    who.add(k);
                    when.add((long) s);
                }
            }
        }
        LifModel lif = LifModel.builder().tauMembraneMs(10).restingMv(-65).thresholdMv(-55).resetMv(-70)
                .refractoryMs(0).resistanceMOhm(10).build();                  // NIR has no refractory period
        CubaLifModel cuba = CubaLifModel.builder().tauMembraneMs(20).restingMv(-60).thresholdMv(-50).resetMv(-60)
                .refractoryMs(0).resistanceMOhm(1).tauSynExcMs(5).tauSynInhMs(5).build();
        Network net = Network.builder().dtMs(0.1).seed(2)
                .spikeTrain("input", 6, who.stream().mapToInt(Integer::intValue).toArray(),
                        when.stream().mapToLong(Long::longValue).toArray())
                .population("a", 12, lif, Distribution.constant(-65))
                .population("b", 5, cuba, Distribution.constant(-60))
                .projection(Projection.between("input", "a").connect(Connectivity.fixedProbability(0.6))
                        .weightMv(Distribution.uniform(2, 6)).delaySteps(1))
                .projection(Projection.between("a", "b").connect(Connectivity.fixedProbability(0.7))
                        .weightMv(Distribution.uniform(-1, 5)).delaySteps(Distribution.uniformInt(1, 4)))
                .projection(Projection.between("b", "b").connect(Connectivity.fixedProbability(0.5))
                        .weightMv(-2).delaySteps(2).receptor(Receptor.INHIBITORY))
                .monitorSpikes("a").monitorSpikes("b").build();
        Recording original = Recording.inMemory();
        try (CompiledNetwork sim = Backends.find("reference").compile(net, new SimulationConfig(1))) {
            sim.run(steps, original);
        }

        NirExport.write(net, 0.1, file);                                        // the graph for dt = 0.1 ms
        NirFile read = NirReader.read(file);
        System.out.printf("%s: %d nodes%n", file.getFileName(), read.graph().nodes().size());
        NirNetwork.Imported imported = NirNetwork.build(read, new NirNetwork.Options(0.1, null, null), input);
        Recording again = Recording.inMemory();
        try (CompiledNetwork sim = Backends.find("reference").compile(imported.network(), new SimulationConfig(1))) {
            sim.run(steps, again);
        }
        for (String population : List.of("a", "b")) {
            List<String> before = sorted(original.memory().spikes(population));
            List<String> after = new ArrayList<>();
            for (long[] spike : imported.spikes(again.memory(), population)) {   // {step, neuron}
                after.add(spike[0] + ":" + spike[1]);
            }
            Collections.sort(after);
            System.out.printf("%s: %d spikes, the same after the round trip: %b%n", population, before.size(),
                    before.equals(after));
        }

        // a graph that snnTorch wrote: the NIR paper's Braille-reading RNN, 12 inputs -> 40 recurrent CuBa-LIF -> 7
        Path braille = Path.of(args.length > 1 ? args[1]
                : "nir/src/test/resources/fixtures/frameworks/snntorch_braille_subtract.nir");
        NirFile snn = NirReader.read(braille);
        System.out.printf("%s: NIR %s, recurrent: %b%n", braille.getFileName(), snn.version(), snn.graph().recurrent());
        for (NirNode node : snn.graph().nodes().values()) {
            System.out.printf("  %-10s %-7s %3d -> %d%n", node.name(), node.type(), node.inputSize(), node.outputSize());
        }
        int frames = 256;
        double[][] dots = new double[frames][12];                               // random dots: 30 % per step
        for (int s = 0; s < frames; s++) {
            for (int k = 0; k < 12; k++) {
                dots[s][k] = random.nextDouble() < 0.3 ? 1 : 0;
            }
        }
        // snnTorch's step is 0.1 ms (it wrote tau = dt / (1 - beta)) and it was trained to reset by subtraction
        NirNetwork.Imported rnn = NirNetwork.build(snn, new NirNetwork.Options(0.1, null, ResetMode.SUBTRACT), dots);
        Recording core = Recording.inMemory();
        Recording oracle = Recording.inMemory();
        try (CompiledNetwork sim = Backends.find("cpu").compile(rnn.network(), new SimulationConfig(1))) {
            sim.run(frames + 2, core);                                          // a step per synapse to reach lif2
        }
        try (CompiledNetwork sim = Backends.find("reference").compile(rnn.network(), new SimulationConfig(1))) {
            sim.run(frames + 2, oracle);
        }
        for (String node : rnn.layout().keySet()) {
            List<long[]> spikes = rnn.spikes(core.memory(), node);
            int[] perNeuron = new int[rnn.layout().get(node).length];
            for (long[] spike : spikes) {
                perNeuron[(int) spike[1]]++;
            }
            boolean same = strings(spikes).equals(strings(rnn.spikes(oracle.memory(), node)));
            System.out.printf("%s: %d neurons, %d spikes on the core, the same on reference: %b%s%n", node,
                    perNeuron.length, spikes.size(), same, rnn.outputs().contains(node)
                            ? ", per output neuron " + Arrays.toString(perNeuron) : "");
        }
    }

    private static List<String> strings(List<long[]> spikes) {
        List<String> l = new ArrayList<>();
        for (long[] spike : spikes) {
            l.add(spike[0] + ":" + spike[1]);
        }
        return l;
    }

    private static List<String> sorted(SpikeRecord r) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            l.add(r.step(i) + ":" + r.neuron(i));
        }
        Collections.sort(l);
        return l;
    }
}
