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
        Device d = parse(spec);
        DeviceModel model = d.model();
        double seconds = d.seconds();
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

    /** A device selector's model and time since programming. */
    public record Device(DeviceModel model, double seconds) {
    }

    /**
     * Parses {@code PRESET[@SECONDS][,KEY=VALUE]...}: the preset ({@code ideal} or {@code pcm-like}), the time since
     * programming, and changes to it: {@code levels=N} (programmable levels, 0 continuous), {@code stuck=P} (a device
     * stuck at gMin or gMax with probability P/2 each), {@code d2d=S} (relative device-to-device spread),
     * {@code prog=X} (programming noise times X), {@code drift=X} (drift exponents times X). Read noise is not a key:
     * this backend maps the programmed (and drifted) state once, and read noise drawn per read needs the crossbar
     * engine that reads devices during the run.
     */
    public static Device parse(String spec) {
        String[] parts = spec.split(",");
        String head = parts[0].trim();
        String preset = head.contains("@") ? head.substring(0, head.indexOf('@')) : head;
        double seconds = 0;
        if (head.contains("@")) {
            try {
                seconds = Double.parseDouble(head.substring(head.indexOf('@') + 1));
            } catch (NumberFormatException e) {
                throw new MyelinException("memristor backend: '" + spec + "': the time after @ must be seconds");
            }
        }
        DeviceModel m = switch (preset) {
            case "ideal" -> DeviceModel.ideal(25);
            case "pcm-like", "pcm" -> DeviceModel.pcmLike();
            default -> throw new MyelinException("memristor backend: unknown device preset '" + preset
                    + "'; known: ideal, pcm-like (optionally @seconds since programming, then ,key=value changes)");
        };
        for (int k = 1; k < parts.length; k++) {
            String[] kv = parts[k].trim().split("=", 2);
            if (kv.length != 2) {
                throw new MyelinException("memristor backend: '" + parts[k] + "' in '" + spec + "' is not key=value");
            }
            double v;
            try {
                v = Double.parseDouble(kv[1]);
            } catch (NumberFormatException e) {
                throw new MyelinException("memristor backend: '" + parts[k] + "': the value must be a number");
            }
            m = switch (kv[0]) {
                case "levels" -> m.withLevels((int) v);
                case "stuck" -> m.withFaults(v / 2, v / 2);
                case "d2d" -> m.withDeviceToDevice(v);
                case "prog" -> new DeviceModel(m.gMinUs(), m.gMaxUs(), m.levels(), m.progCoeff(), m.progReference(), v,
                        m.d2dSigma(), m.stuckLow(), m.stuckHigh(), m.driftScale(), m.t0Seconds(), m.readScale(),
                        m.tReadSeconds(), m.readSigma(), m.adcBits(), m.adcRange());
                case "drift" -> new DeviceModel(m.gMinUs(), m.gMaxUs(), m.levels(), m.progCoeff(), m.progReference(),
                        m.progScale(), m.d2dSigma(), m.stuckLow(), m.stuckHigh(), v, m.t0Seconds(), m.readScale(),
                        m.tReadSeconds(), m.readSigma(), m.adcBits(), m.adcRange());
                default -> throw new MyelinException("memristor backend: unknown device key '" + kv[0] + "' in '" + spec
                        + "'; known: levels, stuck, d2d, prog, drift (read noise per read needs the crossbar engine, not done yet)");
            };
        }
        return new Device(m, seconds);
    }
}
