package org.myelin.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * CUBA on OpenCL in the default mode against Brian2's cuba_reference.json: mean rate and mean ISI CV within
 * the reference's across-seed mean +- 4 sd (see the CPU backend's CubaStatisticsTest for why 4).
 */
class OpenClCubaStatisticsTest {
    @BeforeAll
    static void platform() {
        OpenClAvailable.require();
    }

    private static double[] acrossSeeds(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": \\{\\s*\"mean\": ([-0-9.eE]+),\\s*\"std\": ([-0-9.eE]+)")
                .matcher(json);
        assertTrue(m.find(), "reference has across_seeds." + key);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void rateAndIsiVariabilityMatchBrian2() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/cuba_reference.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        double[] rate = acrossSeeds(json, "mean_rate_hz");
        double[] cv = acrossSeeds(json, "cv_isi.mean");
        for (long seed : new long[] {1, 2}) {
            Network net = CubaNetwork.classic(seed);
            Recording rec = Recording.inMemory();
            try (CompiledNetwork c = Backends.find("opencl").compile(net, SimulationConfig.defaults())) {
                c.run(10_000, rec);
            }
            SpikeRecord all = SpikeStatistics.merged(net, rec.memory());
            assertEquals(rate[0], SpikeStatistics.meanRateHz(all, 4000, 10_000, 0.1), 4 * rate[1], "seed " + seed + ": rate");
            assertEquals(cv[0], SpikeStatistics.meanIsiCv(all, 4000), 4 * cv[1], "seed " + seed + ": ISI CV");
        }
    }
}
