package org.myelin.backend.opencl;

import org.junit.jupiter.api.BeforeAll;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.BackendContract;
import org.myelin.core.backend.Backends;

/** The analytic contract on OpenCL (PoCL in CI), default (fixed-point) accumulation. */
class OpenClBackendContractTest extends BackendContract {
    @BeforeAll
    static void platform() {
        OpenClAvailable.require();
    }

    @Override
    protected Backend backend() {
        return Backends.find("opencl");
    }

    @Override
    protected double valueTolerance() {
        return 2e-4;
    }
}
