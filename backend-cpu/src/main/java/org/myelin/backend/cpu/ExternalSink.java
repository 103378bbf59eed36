package org.myelin.backend.cpu;

/**
 * Adds an external projection's sums ({@link ExternalSynapses#endStep}) for one worker of the clock engine, as
 * {@link ClockInput#addValue} adds them, and marks the float ring slots it fills.
 */
final class ExternalSink implements ExternalSynapses.Sink {
    private final ClockInput input;
    private boolean inhibitory;
    private float scale;
    private long spikeStep;
    private ClockWorker worker;
    private ProjectionSynapses projection;

    ExternalSink(ClockInput input) {
        this.input = input;
    }

    void aim(ProjectionSynapses q, ClockWorker p, long step) {
        worker = p;
        projection = q;
        inhibitory = q.inhibitory;
        scale = q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation];
        spikeStep = step;
    }

    @Override
    public void add(int target, int delay, float value) {
        if (delay > 1 && input.ringSlots > 0) {
            worker.ringDirty[projection.targetPopulation * input.ringSlots
                    + (int) ((spikeStep + delay) % input.ringSlots)] = true;
        }
        input.addValue(inhibitory, target, delay, value, spikeStep, scale);
    }
}
