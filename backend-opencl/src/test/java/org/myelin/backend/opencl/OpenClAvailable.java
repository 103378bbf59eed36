package org.myelin.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.myelin.core.MyelinException;

/**
 * Whether the OpenCL tests can run. Without an OpenCL platform they are skipped with the reason, except in CI
 * ({@code CI=true}), where {@code .ci/run} installs PoCL and a missing platform is a failure.
 */
final class OpenClAvailable {
    private OpenClAvailable() {
    }

    static void require() {
        try {
            OpenClDevices.list();
        } catch (MyelinException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI must have an OpenCL platform (.ci/run installs PoCL): " + e.getMessage());
            }
            Assumptions.abort("skipped: " + e.getMessage());
        }
    }
}
