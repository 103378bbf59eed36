package org.myelin.backend.memristor;

import org.myelin.backend.memristor.device.DeviceModel;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;

/**
 * The resistive-memory backend, registered as {@code memristor}: every projection's weights go through a device
 * model ({@link CrossbarMapping}) and the neurons run on the cpu engine. The device selector
 * ({@code SimulationConfig.device}, {@code --device}) names the preset: {@code ideal} (the default: the same spikes as
 * the cpu backend) or {@code pcm-like} (aihwkit's PCM model), optionally with the time since programming,
 * {@code pcm-like@3600} (seconds; drift). The crossbar engine proper (tiles, read noise per read, IR drop, ADC in
 * the loop, energy) is still to come.
 */
public final class MemristorBackend implements Backend {
    @Override
    public String name() {
        return "memristor";
    }

    @Override
    public String description() {
        return "resistive-memory device model on the synapses (presets: ideal, pcm-like[@seconds]), neurons on the"
                + " cpu engine";
    }

    @Override
    public CompiledNetwork compile(Network network, SimulationConfig config) {
        String spec = config.device() == null ? "ideal" : config.device();
        String preset = spec.contains("@") ? spec.substring(0, spec.indexOf('@')) : spec;
        double seconds = 0;
        if (spec.contains("@")) {
            try {
                seconds = Double.parseDouble(spec.substring(spec.indexOf('@') + 1));
            } catch (NumberFormatException e) {
                throw new MyelinException("memristor backend: '" + spec + "': the time after @ must be seconds");
            }
        }
        DeviceModel model = switch (preset) {
            case "ideal" -> DeviceModel.ideal(25);
            case "pcm-like", "pcm" -> DeviceModel.pcmLike();
            default -> throw new MyelinException("memristor backend: unknown device preset '" + preset
                    + "'; known: ideal, pcm-like (optionally @seconds since programming)");
        };
        Network mapped = CrossbarMapping.map(network, model, network.seed(), seconds);
        CompiledNetwork inner = Backends.find("cpu").compile(mapped,
                new SimulationConfig(config.threads(), config.accumulation(), null, config.mode()));
        String label = "memristor (" + spec + ") over " + inner.device();
        return new CompiledNetwork() {
            @Override
            public Network network() {
                return inner.network();
            }

            @Override
            public long currentStep() {
                return inner.currentStep();
            }

            @Override
            public void advance(long fromStep, long toStep, Recording recording) {
                inner.advance(fromStep, toStep, recording);
            }

            @Override
            public String device() {
                return label;
            }

            @Override
            public int threads() {
                return inner.threads();
            }

            @Override
            public Checkpoint snapshot() {
                return inner.snapshot();
            }

            @Override
            public void restore(Checkpoint c) {
                inner.restore(c);
            }

            @Override
            public long synapseCount() {
                return inner.synapseCount();
            }

            @Override
            public long synapseBytes() {
                return inner.synapseBytes();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
