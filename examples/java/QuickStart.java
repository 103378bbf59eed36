import org.myelin.core.backend.*;
import org.myelin.core.connect.*;
import org.myelin.core.model.*;
import org.myelin.core.monitor.*;
import org.myelin.core.network.*;

public class QuickStart {
    public static void main(String[] args) {
        CubaLifModel neuron = CubaLifModel.builder().tauMembraneMs(20).restingMv(-65).thresholdMv(-50)
                .resetMv(-65).refractoryMs(2).tauSynExcMs(5).tauSynInhMs(10).build();
        Network net = Network.builder().dtMs(0.1).seed(42)
                .poisson("input", 200, 20.0)                                   // 200 generators at 20 Hz
                .population("exc", 800, neuron, Distribution.uniform(-65, -55))
                .projection(Projection.between("input", "exc").connect(Connectivity.fixedInDegree(40)).weightMv(4.0))
                .monitorSpikes("exc")
                .build();
        try (CompiledNetwork sim = Backends.find("cpu").compile(net, SimulationConfig.defaults());
             Recording rec = Recording.inMemory()) {
            sim.run(net.steps(1000.0), rec);                                  // 1 s of biological time
            int n = rec.memory().spikes("exc").size();
            System.out.printf("exc: %d spikes, %.2f Hz%n", n, n / 800.0);
        }
    }
}
