package org.myelin.core.network;

import java.util.Arrays;

/**
 * A piecewise-constant external current into some neurons of a population: from step {@code changeSteps[k]}
 * on, the current is {@code currentsNa[k]} (0 before the first change). It adds to the model's bias
 * current and to any other current input.
 *
 * @param name        unique among current inputs
 * @param target      the population
 * @param neurons     the neurons it feeds, or null for all
 * @param changeSteps strictly increasing steps at which the current changes
 * @param currentsNa  the current from each change on, nA
 */
public record CurrentInput(String name, String target, int[] neurons, long[] changeSteps, double[] currentsNa) {

    /** A current of {@code currentNa} into every neuron of {@code target} from step 0 on. */
    public static CurrentInput constant(String name, String target, double currentNa) {
        return new CurrentInput(name, target, null, new long[] {0}, new double[] {currentNa});
    }

    /** A stepped current into every neuron of {@code target}. */
    public static CurrentInput stepped(String name, String target, long[] changeSteps, double[] currentsNa) {
        return new CurrentInput(name, target, null, changeSteps.clone(), currentsNa.clone());
    }

    /** The same input restricted to the given neurons of the target. */
    public CurrentInput onNeurons(int... indices) {
        return new CurrentInput(name, target, indices.clone(), changeSteps, currentsNa);
    }

    /** The current in force during step {@code step}. */
    public double currentAt(long step) {
        int k = Arrays.binarySearch(changeSteps, step);
        if (k >= 0) {
            return currentsNa[k];
        }
        int before = -k - 2;
        return before < 0 ? 0.0 : currentsNa[before];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurrentInput c && c.name.equals(name) && c.target.equals(target)
                && Arrays.equals(c.neurons, neurons) && Arrays.equals(c.changeSteps, changeSteps)
                && Arrays.equals(c.currentsNa, currentsNa);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + target.hashCode();
    }

    @Override
    public String toString() {
        return "CurrentInput[" + name + " -> " + target + ", " + changeSteps.length + " levels]";
    }
}
