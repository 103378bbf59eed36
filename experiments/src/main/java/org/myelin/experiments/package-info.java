/**
 * The methods' experiments as library code: each takes an immutable configuration record and returns a result
 * record, so that what the {@code myelin experiment}, {@code train}, {@code eval}, {@code edge compress} and {@code
 * bench} commands run is callable, and tested, from the Java API. One package per method ({@code hlop}, {@code lsm},
 * {@code sdt}, {@code l2mu}, {@code mlp}, {@code nir}, {@code edge}, {@code bench}); the data preparation they share
 * lives in {@code data} and {@code probe}. For example, a liquid state machine on spoken digits:
 *
 * <pre>{@code
 * LsmConfig c = LsmConfig.audio(Path.of("tidigits-like.h5")).withSamples(495, 99, null);
 * LsmResult r = LsmExperiment.classify(c);
 * System.out.println(r.testAccuracy() + " after " + r.simSeconds() + " s of simulation");
 * }</pre>
 *
 * Long runs report progress through a callback (lines of text, or rows as they are done); the command line prints
 * them as they come and formats the result record.
 */
package org.myelin.experiments;
