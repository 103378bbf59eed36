import java.nio.file.Path;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.viz.raster.Figures;

public class FirstNetwork {
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        CubaLifModel neuron = CubaLifModel.builder().tauMembraneMs(20).restingMv(-65).thresholdMv(-50)
                .resetMv(-65).refractoryMs(2).tauSynExcMs(5).tauSynInhMs(10).build();
        Network net = Network.builder().dtMs(0.1).seed(7)
                .poisson("input", 200, 20.0)
                .population("exc", 800, neuron, Distribution.uniform(-65, -55))
                .population("inh", 200, neuron, Distribution.uniform(-65, -55))
                .projection(Projection.between("input", "exc").connect(Connectivity.fixedInDegree(40)).weightMv(4.0))
                .projection(Projection.between("exc", "inh").connect(Connectivity.fixedProbability(0.1)).weightMv(3.0)
                        .delaySteps(Distribution.uniformInt(1, 20)))
                .projection(Projection.between("inh", "exc").connect(Connectivity.fixedProbability(0.1)).weightMv(-3.0)
                        .receptor(Receptor.INHIBITORY))
                .monitorSpikes("exc")
                .monitorSpikes("inh")
                .build();
        long steps = net.steps(500.0);                                        // 0.5 s of biological time
        try (CompiledNetwork sim = Backends.find("cpu").compile(net, SimulationConfig.defaults());
             Recording rec = Recording.inMemory()) {
            sim.run(steps, rec);
            Figures.raster(net, rec.memory()).write(out.resolve("raster.png"), 0, steps, net.dtMs());
            Figures.rates(net, rec.memory()).write(out.resolve("rates.svg"), 0, steps, net.dtMs());
            System.out.printf("exc: %d spikes, inh: %d spikes; figures in %s%n", rec.memory().spikes("exc").size(),
                    rec.memory().spikes("inh").size(), out.toAbsolutePath());
        }
    }
}
