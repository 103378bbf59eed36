package org.myelin.backend.cpu;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * Run by CheckpointTest in a new JVM: compiles a network, restores a checkpoint, simulates up to a step and
 * writes the spikes as "step neuron" lines. Arguments: network kind, threads, checkpoint, end step, output.
 */
public final class CheckpointChild {
    private CheckpointChild() {
    }

    public static void main(String[] args) throws IOException {
        Network net = CheckpointTest.network(args[0]);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(net, CheckpointTest.config(args[0], Integer.parseInt(args[1])))) {
            c.restore(Path.of(args[2]));
            c.advance(c.currentStep(), Long.parseLong(args[3]), rec);
        }
        SpikeRecord s = SpikeStatistics.merged(net, rec.memory());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[4])))) {
            for (int i = 0; i < s.size(); i++) {
                w.println(s.step(i) + " " + s.neuron(i));
            }
        }
    }
}
