package org.myelin.core.monitor;

import java.util.Arrays;

/**
 * Samples a state variable ({@code v}, {@code ge}, {@code gi}) of selected neurons at the end of every
 * {@code intervalSteps}-th step (steps 0, interval, 2*interval, ...), after threshold and reset. A sample
 * labelled with step {@code n} is the state at time {@code (n+1)*dt}.
 */
public record StateMonitor(String name, String population, String variable, int[] neurons, int intervalSteps) {

    @Override
    public boolean equals(Object o) {
        return o instanceof StateMonitor m && m.name.equals(name) && m.population.equals(population)
                && m.variable.equals(variable) && Arrays.equals(m.neurons, neurons)
                && m.intervalSteps == intervalSteps;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "StateMonitor[" + name + ": " + population + "." + variable + " x" + neurons.length + "]";
    }
}
