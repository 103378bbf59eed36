/**
 * The parts of the simulation loop that every engine shares, written once: the schedule of current changes
 * ({@link org.myelin.core.engine.CurrentSchedule}), the checkpoint frame ({@link org.myelin.core.engine.CheckpointFrame}:
 * header, engine mode and the spikes not yet delivered, before the engine's own state) and the dispatch of a step's
 * spikes to the monitors ({@link org.myelin.core.monitor.Recording.Bound#stepSpikes}). An engine keeps only its
 * numerics and its own state layout.
 */
package org.myelin.core.engine;
