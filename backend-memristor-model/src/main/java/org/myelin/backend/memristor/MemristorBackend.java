package org.myelin.backend.memristor;

import java.util.ArrayList;
import java.util.List;
import org.myelin.backend.cpu.CpuBackend;
import org.myelin.backend.memristor.device.DeviceModel;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.checkpoint.NetworkFingerprint;
import org.myelin.core.network.Network;

/**
 * The resistive-memory backend, registered as {@code memristor}: every projection is mapped onto crossbar tiles of
 * differential device pairs ({@link Crossbar}) that are read in the loop, spike by spike, while the neurons run on
 * the cpu engine: reads with fresh noise, conductances drifting during the run, IR drop along the wires, ADCs on the
 * column currents, and an energy and latency report ({@link CrossbarNetwork#report()}). The device selector
 * ({@code SimulationConfig.device}, {@code --device}) names the preset and its changes ({@link #parse}): {@code ideal}
 * (the default: the cpu backend's spikes bit for bit), {@code pcm-like} (aihwkit's PCM model) or {@code rram}.
 */
public final class MemristorBackend implements Backend {
    @Override
    public String name() {
        return "memristor";
    }

    @Override
    public String description() {
        return "resistive-memory crossbars read in the loop (presets: ideal, pcm-like, rram [@seconds][,key=value]),"
                + " neurons on the cpu engine; energy and latency report";
    }

    @Override
    public CrossbarNetwork compile(Network network, SimulationConfig config) {
        config.requireClock(name());
        org.myelin.core.plasticity.FixedWeights.require(network, "memristor backend");
        org.myelin.core.network.Transmission.requireSpikes(network, "memristor backend");
        if (config.accumulation() == SimulationConfig.Accumulation.FIXED_POINT) {
            throw new MyelinException("memristor backend: crossbar reads are analogue values; fixed-point accumulation"
                    + " is a cpu and opencl option");
        }
        String spec = config.device() == null ? "ideal" : config.device();
        Device d = parse(spec);
        byte[] print = NetworkFingerprint.of(network);
        long run = java.nio.ByteBuffer.wrap(print).getLong();
        List<Crossbar> bars = new ArrayList<>();
        CompiledNetwork inner = CpuBackend.compile(network, new SimulationConfig(config.threads(),
                SimulationConfig.Accumulation.FLOAT, null, config.mode()), layout -> {
                    Crossbar c = new Crossbar(Crossbar.Program.of(layout, d.model(), d.crossbar(), network.seed(),
                            d.seconds()), layout, run, d.seconds());
                    bars.add(c);
                    return c;
                });
        return new CrossbarNetwork(inner, List.copyOf(bars), d, "memristor (" + spec + ") over " + inner.device());
    }

    /** A device selector: the device model, the crossbar's array and periphery, and the time since programming. */
    public record Device(DeviceModel model, CrossbarSpec crossbar, double seconds) {
    }

    /** Full scale of the ADC, in rows at the largest conductance difference, unless {@code adcrange} says otherwise. */
    static final double DEFAULT_ADC_ROWS = 8;

    /**
     * Parses {@code PRESET[@SECONDS][,KEY=VALUE]...}: the preset ({@code ideal}, {@code pcm-like} or {@code rram}),
     * the time since programming (seconds; drift continues during the run), and changes to it. Device keys:
     * {@code levels=N} (programmable levels, 0 continuous), {@code stuck=P} (a device stuck at gMin or gMax with
     * probability P/2 each), {@code d2d=S} (relative device-to-device spread), {@code prog=X} (programming noise
     * times X), {@code drift=X} (drift exponents times X), {@code read=S} (plain relative read noise, drawn at every
     * read), {@code pcmread=X} (the PCM 1/f read noise times X). Periphery keys: {@code adc=BITS} (0: ideal),
     * {@code adcrows=R} (ADC full scale: R rows at the largest conductance difference; default 8),
     * {@code adcrange=UA} (full scale in uA), {@code tile=R} or {@code tile=RxC} (rows and pair columns),
     * {@code wire=OHMS} (wire resistance per cell segment, IR drop), {@code vread=V}.
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
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new MyelinException("memristor backend: '" + spec + "': the time since programming must be >= 0");
            }
        }
        DeviceModel m;
        CrossbarSpec x;
        switch (preset) {
            case "ideal" -> {
                m = DeviceModel.ideal(25);
                x = CrossbarSpec.defaults();
            }
            case "pcm-like", "pcm" -> {
                m = DeviceModel.pcmLike();
                x = CrossbarSpec.defaults();
            }
            case "rram" -> {
                m = DeviceModel.rram();
                x = rramCrossbar();
            }
            default -> throw new MyelinException("memristor backend: unknown device preset '" + preset
                    + "'; known: ideal, pcm-like, rram (optionally @seconds since programming, then ,key=value changes)");
        }
        Double adcRows = DEFAULT_ADC_ROWS;
        Double adcRange = null;
        int adcBits = m.adcBits();
        for (int k = 1; k < parts.length; k++) {
            String[] kv = parts[k].trim().split("=", 2);
            if (kv.length != 2) {
                throw new MyelinException("memristor backend: '" + parts[k] + "' in '" + spec + "' is not key=value");
            }
            String key = kv[0].trim();
            String text = kv[1].trim();
            if (key.equals("tile")) {
                String[] rc = text.toLowerCase(java.util.Locale.ROOT).split("x", 2);
                try {
                    int r = Integer.parseInt(rc[0]);
                    x = x.withTile(r, rc.length == 2 ? Integer.parseInt(rc[1]) : r);
                } catch (NumberFormatException e) {
                    throw new MyelinException("memristor backend: '" + parts[k] + "': tile is ROWS or ROWSxCOLUMNS");
                }
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new MyelinException("memristor backend: '" + parts[k] + "': the value must be a number");
            }
            switch (key) {
                case "levels" -> m = m.withLevels((int) v);
                case "stuck" -> m = m.withFaults(v / 2, v / 2);
                case "d2d" -> m = m.withDeviceToDevice(v);
                case "prog" -> m = m.withProgrammingScale(v);
                case "drift" -> m = m.withDriftScale(v);
                case "read" -> m = m.withReadNoise(m.readScale(), v);
                case "pcmread" -> m = m.withReadNoise(v, m.readSigma());
                case "adc" -> adcBits = (int) v;
                case "adcrows" -> {
                    adcRows = v;
                    adcRange = null;
                }
                case "adcrange" -> {
                    adcRange = v;
                    adcRows = null;
                }
                case "wire" -> x = x.withWireOhms(v);
                case "vread" -> x = x.withReadVolts(v);
                default -> throw new MyelinException("memristor backend: unknown key '" + key + "' in '" + spec
                        + "'; known: levels, stuck, d2d, prog, drift, read, pcmread, adc, adcrows, adcrange, tile, wire,"
                        + " vread");
            }
        }
        double range = adcRange != null ? adcRange : adcRows * (m.gMaxUs() - m.gMinUs()) * x.readVolts();
        m = m.withAdc(adcBits, adcBits == 0 ? 0 : range);
        return new Device(m, x, seconds);
    }

    /**
     * The rram preset's array: 512 x 256 pair tiles (the LSM paper's 40 nm 256 Kb macro, 512 x 512 cells, holds 512
     * rows of 256 differential pairs) and 1 ohm of wire per cell segment (assumed, of the order of a 40 nm metal
     * line's cell pitch); other costs as {@link CrossbarSpec#defaults()}.
     */
    static CrossbarSpec rramCrossbar() {
        return CrossbarSpec.defaults().withTile(512, 256).withWireOhms(1.0);
    }
}
