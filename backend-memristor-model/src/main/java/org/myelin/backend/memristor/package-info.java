/**
 * A device model of an analogue resistive-memory (memristor) crossbar: conductance states, programming
 * noise and stochastic switching, read noise, IR drop; projections are mapped onto crossbars while neurons
 * run on the CPU engine.
 *
 * <p>Not built yet: this module is a placeholder until the memristor-backend issue lands. It holds no
 * classes on purpose.
 */
package org.myelin.backend.memristor;
