/**
 * The methods' experiments as library code: each takes an immutable configuration record and returns a result
 * record, so that what the {@code myelin experiment} and {@code myelin train} commands run is callable, and tested,
 * from the Java API. One package per method ({@code hlop}, {@code lsm}, {@code sdt}, {@code l2mu}, {@code nir}); the
 * data preparation they share lives in {@code data} and {@code probe}.
 */
package org.myelin.experiments;
