/**
 * The {@code memristor} backend: analogue resistive-memory crossbars in the loop of a spiking network.
 *
 * <p>Every projection is placed on crossbar tiles ({@link org.myelin.backend.memristor.CrossbarSpec}) as
 * differential device pairs programmed under a device model ({@code device.DeviceModel}: levels, programming noise,
 * device-to-device spread, stuck faults, drift, read noise); the neurons run on the cpu engine, which hands every
 * spike's row to the crossbar ({@link org.myelin.backend.cpu.ExternalSynapses}). A row is read at the run's time since
 * programming with fresh noise, through its wire path (IR drop), and either goes straight to the targets or, with an
 * ADC, is summed per tile column and converted at the end of the step
 * ({@link org.myelin.backend.memristor.Crossbar}). Ideal devices give the cpu backend's spikes bit for bit. Each run
 * counts its cell reads, conversions and neuron updates and prices them
 * ({@link org.myelin.backend.memristor.CrossbarReport}). Presets: {@code ideal}, {@code pcm-like} (aihwkit's PCM
 * model), {@code rram} ({@link org.myelin.backend.memristor.MemristorBackend#parse}).
 */
package org.myelin.backend.memristor;
