/** Verified downloads: SHA-256 checked, resumed after a broken connection, cached, with progress. */
package org.myelin.datasets.fetch;
