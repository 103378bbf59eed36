package org.myelin.experiments.nir;

import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * A NIR file check. {@link #defaults} gives the settings of {@code myelin experiment nir-files}.
 *
 * @param data     the folder searched (recursively) for .nir files
 * @param dtMs     the import's step, ms (the discrete convention)
 * @param steps    input steps
 * @param rate     probability of an input spike per input and step
 * @param maxDense the largest number of weights the export writes as dense matrices; larger networks are not
 *                 exported
 */
public record NirFilesConfig(Path data, double dtMs, int steps, double rate, long maxDense) {
    /** Checks the settings. */
    public NirFilesConfig {
        if (data == null) {
            throw new MyelinException("nir-files: data (a folder) must be given");
        }
        if (!(dtMs > 0) || steps < 1 || !(rate >= 0 && rate <= 1) || maxDense < 0) {
            throw new MyelinException("nir-files: dtMs must be > 0, steps >= 1, rate in [0, 1] and maxDense >= 0,"
                    + " were " + dtMs + ", " + steps + ", " + rate + ", " + maxDense);
        }
    }

    /** The defaults: dt 0.1 ms (snnTorch's 1e-4 s), 100 input steps at rate 0.2, up to 20 million dense weights. */
    public static NirFilesConfig defaults(Path data) {
        return new NirFilesConfig(data, 0.1, 100, 0.2, 20_000_000);
    }
}
