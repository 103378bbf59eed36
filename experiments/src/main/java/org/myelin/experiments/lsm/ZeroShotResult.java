package org.myelin.experiments.lsm;

/**
 * What a zero-shot retrieval run measured: top-1 retrieval (an audio query finds the most similar of all test
 * images of the classes), per head seed and as means.
 *
 * @param imageFeatures  the image liquid's features (their counts, spikes, time and crossbar report)
 * @param audioFeatures  the audio liquid's features
 * @param chosenSteps    per head seed, the training steps chosen on the training data
 * @param inClass        per head seed, the in-class (digits 1-7) test retrieval with the chosen steps
 * @param outClass       per head seed, the zero-shot (digits 8-9) test retrieval with the chosen steps
 * @param bestOutOnTest  the best out-class test retrieval over every seed and step count: never used to choose, what
 *                       choosing on the test set would report
 */
public record ZeroShotResult(LiquidFeatures imageFeatures, LiquidFeatures audioFeatures, int[] chosenSteps,
                             double[] inClass, double[] outClass, double bestOutOnTest) {
    /** The mean in-class retrieval over the head seeds. */
    public double inClassMean() {
        return LsmZeroShot.mean(inClass);
    }

    /** The mean out-class (zero-shot) retrieval over the head seeds. */
    public double outClassMean() {
        return LsmZeroShot.mean(outClass);
    }

    /** The sample standard deviation of the in-class retrieval over the head seeds (0 for one seed). */
    public double inClassSd() {
        return LsmZeroShot.sd(inClass);
    }

    /** The sample standard deviation of the out-class retrieval over the head seeds (0 for one seed). */
    public double outClassSd() {
        return LsmZeroShot.sd(outClass);
    }
}
