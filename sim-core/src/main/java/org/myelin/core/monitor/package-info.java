/**
 * Monitors say what is recorded (spikes of a node, state variables of selected neurons, population rate);
 * {@link org.myelin.core.monitor.RecordingSink}s say where it goes (memory, CSV, a compact binary spike
 * file, later the live view and the serial link); a {@link org.myelin.core.monitor.Recording} binds the two
 * for one run. Engines only report spikes and state samples; rates are binned here, once for all engines.
 */
package org.myelin.core.monitor;
