/**
 * JMH micro benchmarks of the CPU engine ({@code java -jar benchmarks/target/benchmarks.jar}) and the peer
 * comparison scripts under {@code benchmarks/peers/}. Figures are only meaningful as ratios against a peer
 * measured on the same machine in the same sitting.
 */
package org.myelin.benchmarks;
