/**
 * Verified downloads (SHA-256, or the MD5 a publisher gives; resumed after a broken connection; cached; with
 * progress) and the catalogue of public datasets that {@code myelin data fetch NAME} knows.
 */
package org.myelin.datasets.fetch;
