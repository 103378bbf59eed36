package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.myelin.experiments.edge.CompressionConfig;
import org.myelin.experiments.hlop.HlopConfig;
import org.myelin.experiments.l2mu.L2muConfig;
import org.myelin.experiments.lsm.LsmConfig;
import org.myelin.experiments.lsm.ZeroShotConfig;
import org.myelin.experiments.mlp.MlpConfig;
import org.myelin.experiments.nir.NirFilesConfig;
import org.myelin.experiments.sdt.SdtConfig;
import picocli.CommandLine;

/** Each experiment command's option defaults make the configuration the library's defaults describe. */
class CommandDefaultsTest {
    private static <T> T parsed(T command, String... args) {
        new CommandLine(command).setDefaultValueProvider(SharedOptions.PROVIDER).parseArgs(args);
        return command;
    }

    /** Every component equal, arrays by their elements. */
    private static void assertSameRecord(Record expected, Record actual) throws Exception {
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object a = c.getAccessor().invoke(expected);
            Object b = c.getAccessor().invoke(actual);
            assertTrue(Objects.deepEquals(a, b), expected.getClass().getSimpleName() + "." + c.getName() + ": library "
                    + a + ", command line " + b);
        }
    }

    @Test
    void everyExperimentCommandDefaultsToTheLibrarysConfiguration() throws Exception {
        assertSameRecord(LsmConfig.image(Path.of("d")), parsed(new LsmCommand(), "--data", "d").config());
        assertSameRecord(LsmConfig.audio(Path.of("d")), parsed(new LsmCommand(), "--data", "d", "--modality",
                "audio").config());
        LsmCommand zeroShot = parsed(new LsmCommand(), "--data", "d", "--audio-data", "a");
        assertSameRecord(ZeroShotConfig.defaults(LsmConfig.image(Path.of("d")), Path.of("a")),
                zeroShot.zeroShotConfig(zeroShot.config()));
        LsmCommand former = parsed(new LsmCommand(), "--data", "d", "--audio-data", "a", "--former-heads");
        assertSameRecord(ZeroShotConfig.former(LsmConfig.image(Path.of("d")), Path.of("a")),
                former.zeroShotConfig(former.config()));
        assertSameRecord(HlopConfig.defaults("d"), parsed(new ExperimentCommand.Hlop(), "--data", "d").config());
        // the library draws progress bars by default; the command line draws them only in a terminal (tests have
        // none), so --progress asks for the library's default
        assertSameRecord(SdtConfig.defaults("fashion-mnist"), parsed(new TrainSdt(), "--progress").options.config());
        assertFalse(parsed(new TrainSdt()).options.config().progress(), "no progress bar into a redirected stderr");
        assertSameRecord(L2muConfig.defaults("synthetic-har"), parsed(new TrainL2mu()).config());
        assertSameRecord(MlpConfig.defaults("fashion-mnist"), parsed(new TrainCommand.Mlp(), "--progress").config());
        assertFalse(parsed(new TrainCommand.Mlp()).config().progress(), "no progress bar into a redirected stderr");
        assertFalse(parsed(new TrainCommand.Mlp(), "--no-progress").config().progress());
        assertSameRecord(NirFilesConfig.defaults(Path.of("d")), parsed(new NirFilesCommand(), "--data", "d").config());
        assertSameRecord(CompressionConfig.defaults(Path.of("m")), parsed(new EdgeCommand.Compress(), "--model", "m")
                .config());
    }
}
