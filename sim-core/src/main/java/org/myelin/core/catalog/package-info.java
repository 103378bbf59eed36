/** Ready-made networks from the literature, used by the demo, the benchmarks and the tests. */
package org.myelin.core.catalog;
