package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.experiments.hlop.HlopConfig;
import org.myelin.experiments.hlop.HlopExperiment;
import org.myelin.experiments.hlop.HlopResult;

/**
 * Every experiment command prints what the Java API's result record holds for the same settings: the command is an
 * adapter, the experiment is the library's.
 */
class ExperimentApiTest {
    /** The text of a JSON field (a number, or an array as written). */
    static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\[[^\\]]*(\\][^\\]]*)*?\\]\\]|\\[[^\\]]*\\]|[-0-9.eE]+|null|\"[^\"]*\")")
                .matcher(json);
        if (!m.find()) {
            throw new AssertionError(key + " missing in " + json);
        }
        return m.group(1);
    }

    static String lastLine(String out) {
        String[] lines = out.trim().split("\n");
        return lines[lines.length - 1];
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @Test
    void hlopFromTheCommandLineIsTheApisRun(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("bands"));
        TrainCommandTest.writeSplit(data, "train", 240, 1);
        CliRun cli = CliRun.of("experiment", "hlop", "--data", data.toString(), "--method", "ewc", "--tasks", "2",
                "--train", "160", "--test", "80", "--hidden", "16", "--lateral", "8,4", "--lateral-added", "4,2",
                "--hebbian-lr", "0.01,0.01", "--time-steps", "4", "--json");
        assertEquals(0, cli.code(), cli.err());
        HlopResult api = HlopExperiment.run(HlopConfig.defaults(data.toString()).withSize(2, 160, 80,
                new int[] {16}, new int[] {8, 4}, new int[][] {{4, 2}}, new float[] {0.01f, 0.01f}, 4)
                .withMethod(org.myelin.learning.hlop.ContinualLearning.Method.EWC), line -> { });
        String json = lastLine(cli.out());
        assertEquals(f4(api.acc()), field(json, "acc"));
        assertEquals(f4(api.bwt()), field(json, "bwt"));
        double[][] r = api.run().accuracy();
        String matrix = "[[" + f4(r[0][0]) + "," + f4(r[0][1]) + "],[" + f4(r[1][0]) + "," + f4(r[1][1]) + "]]";
        assertEquals(matrix, field(json, "accuracy"));
    }
}
