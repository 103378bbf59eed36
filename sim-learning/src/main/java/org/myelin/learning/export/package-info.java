/** Export of trained spiking models to core {@link org.myelin.core.network.Network}s. */
package org.myelin.learning.export;
