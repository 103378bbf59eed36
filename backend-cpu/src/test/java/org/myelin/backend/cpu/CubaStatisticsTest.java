package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * The recurrent CUBA network against Brian2. Random numbers differ, so only distributions can agree, and the
 * tolerance is Brian2's own spread across seeds: {@code cuba_brian2_seeds.csv} holds the per-seed mean rate and
 * mean ISI CV of 30 Brian2 runs (the 10 seeds of {@code cuba_reference.json} and 20 more made with the same
 * script; see the README beside it). Each of our seeds must lie within Brian2's mean +- 4 sd (the network is
 * chaotic: any change of rounding draws a new sample), the mean of five seeds within mean +- 3 sd / sqrt(5).
 */
class CubaStatisticsTest {
    private static final long[] SEEDS = {1, 2, 3, 4, 5};

    /** {mean rate, sd rate, mean CV, sd CV} over Brian2's seeds. */
    private static double[] brian2() throws IOException {
        List<String> lines;
        try (InputStream in = CubaStatisticsTest.class.getResourceAsStream("/cuba_brian2_seeds.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        double[] rate = new double[lines.size()];
        double[] cv = new double[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            rate[i] = Double.parseDouble(f[1]);
            cv[i] = Double.parseDouble(f[2]);
        }
        assertTrue(lines.size() >= 30, "30 Brian2 seeds");
        return new double[] {mean(rate), sd(rate), mean(cv), sd(cv)};
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    private static double[] run(String backend, long seed) {
        return run(backend, seed, new SimulationConfig(2));
    }

    private static double[] run(String backend, long seed, SimulationConfig config) {
        Network net = CubaNetwork.classic(seed);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, config)) {
            c.run(10_000, rec);
        }
        SpikeRecord all = SpikeStatistics.merged(net, rec.memory());
        return new double[] {SpikeStatistics.meanRateHz(all, 4000, 10_000, 0.1), SpikeStatistics.meanIsiCv(all, 4000)};
    }

    @Test
    void rateAndIsiVariabilityMatchBrian2() throws IOException {
        double[] b = brian2();
        double rateSum = 0;
        double cvSum = 0;
        for (long seed : SEEDS) {
            double[] s = run("cpu", seed);
            assertEquals(b[0], s[0], 4 * b[1], "seed " + seed + ": mean rate (Hz)");
            assertEquals(b[2], s[1], 4 * b[3], "seed " + seed + ": mean ISI CV");
            rateSum += s[0];
            cvSum += s[1];
        }
        double k = Math.sqrt(SEEDS.length);
        assertEquals(b[0], rateSum / SEEDS.length, 3 * b[1] / k, "mean rate over seeds (Hz)");
        assertEquals(b[2], cvSum / SEEDS.length, 3 * b[3] / k, "mean ISI CV over seeds");
    }

    @Test
    void fixedPointAccumulationAgreesWithBrian2() throws IOException {
        double[] b = brian2();
        for (long seed : new long[] {1, 2}) {
            double[] s = run("cpu", seed,
                    new SimulationConfig(2).withAccumulation(SimulationConfig.Accumulation.FIXED_POINT));
            assertEquals(b[0], s[0], 4 * b[1], "seed " + seed + ": mean rate (Hz)");
            assertEquals(b[2], s[1], 4 * b[3], "seed " + seed + ": mean ISI CV");
        }
    }

    @Test
    void theEventDrivenGridModeHasTheClockModesRateAndVariability() throws IOException {
        // recurrent and chaotic: rounding differences grow, so the modes agree in statistics, not spike for spike
        double[] b = brian2();
        for (long seed : new long[] {1, 2}) {
            double[] clock = run("cpu", seed);
            double[] event = run("cpu", seed, new SimulationConfig(1).withMode(EngineMode.EVENT_GRID));
            assertEquals(clock[0], event[0], 4 * b[1], "seed " + seed + ": mean rate (Hz), event vs clock");
            assertEquals(clock[1], event[1], 4 * b[3], "seed " + seed + ": mean ISI CV, event vs clock");
            assertEquals(b[0], event[0], 4 * b[1], "seed " + seed + ": mean rate (Hz), event vs Brian2");
            assertEquals(b[2], event[1], 4 * b[3], "seed " + seed + ": mean ISI CV, event vs Brian2");
        }
    }

    @Test
    void referenceEngineAgreesWithBrian2Too() throws IOException {
        double[] b = brian2();
        double[] s = run("reference", 1);
        assertEquals(b[0], s[0], 4 * b[1], "mean rate (Hz)");
        assertEquals(b[2], s[1], 4 * b[3], "mean ISI CV");
    }

    @Test
    void theSeedTableAgreesWithTheReferenceFile() throws IOException {
        // the first ten rows are cuba_reference.json's per-seed values; check they were copied faithfully
        String json;
        try (InputStream in = CubaStatisticsTest.class.getResourceAsStream("/cuba_reference.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("\"1\": \\{\\s*\"total_spikes\": [0-9.]+,\\s*\"mean_rate_hz\": ([0-9.]+)").matcher(json);
        assertTrue(m.find(), "seed 1 in cuba_reference.json");
        try (InputStream in = CubaStatisticsTest.class.getResourceAsStream("/cuba_brian2_seeds.csv")) {
            String csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String row = csv.lines().filter(l -> l.startsWith("1,")).findFirst().orElseThrow();
            assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(row.split(",")[1]), 1e-6);
        }
    }
}
