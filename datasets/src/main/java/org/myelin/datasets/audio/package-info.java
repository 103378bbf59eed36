/** Audio input: RIFF/WAVE PCM files. */
package org.myelin.datasets.audio;
