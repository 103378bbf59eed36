package org.myelin.experiments.sdt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.io.Json;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.train.EpochMetrics;

/**
 * Everything one trained variant measured: its accuracy and firing, the core check (the export on the cpu backend's
 * spike-driven engine against the training graph) and the operation counts and energy of the engine's run.
 *
 * @param name                   the variant's name
 * @param spec                   its architecture
 * @param parameters             trainable parameters
 * @param history                per-epoch figures (empty for a model evaluated without training)
 * @param accuracy               test accuracy of the training graph (a fraction)
 * @param trainSeconds           wall time of the training
 * @param meanFiringRate         mean firing rate of the training graph's neurons on the test set
 * @param layerRates             per layer, its name and firing rate as written ({@code %.5f})
 * @param checked                test images run on the engine
 * @param predictionsEqual       of them, with the training graph's prediction
 * @param scoresEqual            of them, with the training graph's scores, bit for bit
 * @param spikeMismatches        per-layer spike counts that differ, over all checked images
 * @param macsPerImage           multiply-accumulates per image on the engine (the first layer)
 * @param acsPerImage            accumulates per image
 * @param multipliesAfterFirst   multiplications after the first layer, all images (0 for a spike-driven model)
 * @param denseOpsPerStep        dense operations per time step, every layer
 * @param energyMicroJoules      E = 4.6 pJ x MACs + 0.9 pJ x ACs, from the engine's counters
 * @param paperEnergyMicroJoules the papers' formula from firing rates and dense FLOPs
 */
public record SdtReport(String name, SdtSpec spec, long parameters, List<EpochMetrics> history, double accuracy,
                        double trainSeconds, double meanFiringRate, List<String[]> layerRates, int checked,
                        int predictionsEqual, int scoresEqual, long spikeMismatches, double macsPerImage,
                        double acsPerImage, long multipliesAfterFirst, double denseOpsPerStep,
                        double energyMicroJoules, double paperEnergyMicroJoules) {
    /** Whether the engine gave every checked image the training graph's prediction and spike counts. */
    public boolean coreAgrees() {
        return predictionsEqual == checked && spikeMismatches == 0;
    }

    /** The report as one JSON object. */
    public Json json() {
        Map<String, Object> rates = new LinkedHashMap<>();
        for (String[] r : layerRates) {
            rates.put(r[0], Double.parseDouble(r[1]));
        }
        return Json.object().put("variant", name).put("spec", spec.toText()).put("parameters", parameters)
                .put("T", spec.steps()).put("epochs", history.size()).put("train_seconds", trainSeconds)
                .put("test_accuracy", accuracy).put("mean_firing_rate", meanFiringRate).put("core_checked", checked)
                .put("core_predictions_equal", predictionsEqual).put("core_scores_equal", scoresEqual)
                .put("core_spike_count_mismatches", spikeMismatches).put("macs_per_image", macsPerImage)
                .put("acs_per_image", acsPerImage).put("multiplies_after_first_layer", multipliesAfterFirst)
                .put("dense_ops_per_step", denseOpsPerStep).put("energy_uj", energyMicroJoules)
                .put("paper_energy_uj", paperEnergyMicroJoules).put("firing_rates", rates);
    }
}
