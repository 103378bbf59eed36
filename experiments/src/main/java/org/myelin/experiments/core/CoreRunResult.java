package org.myelin.experiments.core;

/**
 * What a model file's run on a core backend gave.
 *
 * @param model              {@code mlp}, {@code l2mu} or {@code sdt} (see {@link CoreRunSdt} for what its counts
 *                           count)
 * @param description        the model in words
 * @param data               the test data in words
 * @param samples            test samples classified
 * @param backend            the backend's name
 * @param mode               the engine mode asked for ({@code spike-driven program} for an SDT)
 * @param accuracy           fraction of the samples the core classified correctly
 * @param frameworkAccuracy  fraction the training framework's own inference (the forward pass of the same model on
 *                           the same input) classified correctly
 * @param mismatches         samples whose core class differs from the framework's
 * @param identicalSamples   samples whose every spike, in every population, equals the framework's
 * @param spikeDifferences   (step, neuron) spikes present on one side only, summed over the samples
 * @param spikes             spikes the core's populations fired (input spikes not counted), summed over the samples
 * @param synapticOps        synaptic events the core sent: every spike (of a population, and of the input and bias
 *                           spike sources) times the out-degree of its neuron, summed over the samples (see {@link
 *                           org.myelin.learning.lmu.CoreActivity})
 * @param wallSeconds        wall time of the classification loop: per sample the framework's forward pass, the
 *                           export, compilation and the core run (data loading not included)
 */
public record CoreRunResult(String model, String description, String data, int samples, String backend, String mode,
                            double accuracy, double frameworkAccuracy, int mismatches, int identicalSamples,
                            long spikeDifferences, long spikes, long synapticOps, double wallSeconds) {
    /** Samples classified per second of wall time. */
    public double samplesPerSecond() {
        return samples / wallSeconds;
    }
}
