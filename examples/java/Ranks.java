import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.myelin.backend.cpu.CpuBackend;
import org.myelin.backend.cpu.DistributedNetwork;
import org.myelin.backend.cpu.LocalExchange;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

public class Ranks {
    public static void main(String[] args) throws Exception {
        CubaLifModel neuron = CubaLifModel.builder().tauMembraneMs(20).restingMv(-65).thresholdMv(-50)
                .resetMv(-65).refractoryMs(2).tauSynExcMs(5).tauSynInhMs(10).build();
        Network net = Network.builder().dtMs(0.1).seed(3)
                .poisson("input", 200, 20.0)
                .population("exc", 800, neuron, Distribution.uniform(-65, -55))
                .population("inh", 200, neuron, Distribution.uniform(-65, -55))
                .projection(Projection.between("input", "exc").connect(Connectivity.fixedInDegree(40)).weightMv(4.0)
                        .delaySteps(5))                                        // every delay >= 5 steps:
                .projection(Projection.between("exc", "inh").connect(Connectivity.fixedProbability(0.1)).weightMv(3.0)
                        .delaySteps(Distribution.uniformInt(5, 20)))          // one exchange per 5 steps
                .projection(Projection.between("inh", "exc").connect(Connectivity.fixedProbability(0.1)).weightMv(-3.0)
                        .receptor(Receptor.INHIBITORY).delaySteps(5))
                .monitorSpikes("exc")
                .monitorSpikes("inh")
                .build();
        long steps = net.steps(300.0);
        SimulationConfig config = new SimulationConfig(1);

        Recording whole = Recording.inMemory();
        try (CompiledNetwork sim = Backends.find("cpu").compile(net, config)) {
            sim.run(steps, whole);
        }
        SpikeRecord one = SpikeStatistics.merged(net, whole.memory());

        int ranks = 3;
        LocalExchange[] group = LocalExchange.group(ranks);
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        List<Future<SpikeRecord>> parts = new ArrayList<>();
        for (LocalExchange exchange : group) {
            parts.add(pool.submit(() -> {
                Recording rec = Recording.inMemory();                          // every rank sees every spike
                try (DistributedNetwork part = CpuBackend.compileDistributed(net, config, exchange)) {
                    part.run(steps, rec);
                    System.out.printf("rank %d owns neurons [%d, %d), exchanges every %d steps%n", part.rank(),
                            part.ownedFirst(), part.ownedEnd(), part.windowSteps());
                } catch (RuntimeException e) {
                    exchange.abort();                                          // release the other ranks
                    throw e;
                }
                return SpikeStatistics.merged(net, rec.memory());
            }));
        }
        for (int r = 0; r < ranks; r++) {
            SpikeRecord got = parts.get(r).get();
            System.out.printf("rank %d: %d spikes, identical to one process: %b%n", r, got.size(), got.equals(one));
        }
        pool.shutdown();
        System.out.printf("one process: %d spikes, checksum %016x%n", one.size(), SpikeStatistics.checksum(one));
    }
}
