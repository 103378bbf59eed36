package org.myelin.backend.cpu;

import org.junit.jupiter.api.Nested;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.BackendContract;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;

class CpuBackendContractTest {

    @Nested
    class OneThread extends BackendContract {
        @Override
        protected Backend backend() {
            return Backends.find("cpu");
        }

        @Override
        protected double valueTolerance() {
            return 2e-4;
        }
    }

    @Nested
    class ThreeThreads extends BackendContract {
        @Override
        protected Backend backend() {
            return Backends.find("cpu");
        }

        @Override
        protected SimulationConfig config() {
            return new SimulationConfig(3);
        }

        @Override
        protected double valueTolerance() {
            return 2e-4;
        }
    }

    @Nested
    class FixedPointTwoThreads extends BackendContract {
        @Override
        protected Backend backend() {
            return Backends.find("cpu");
        }

        @Override
        protected SimulationConfig config() {
            return new SimulationConfig(2).withAccumulation(SimulationConfig.Accumulation.FIXED_POINT);
        }

        @Override
        protected double valueTolerance() {
            return 2e-4;
        }
    }
}
