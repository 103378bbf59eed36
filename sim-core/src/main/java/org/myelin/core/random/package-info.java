/**
 * Counter-based random numbers: every draw is a pure function of (seed, stream, index, counter), so a
 * result never depends on the thread count, on the order in which work is done, or on the backend.
 */
package org.myelin.core.random;
