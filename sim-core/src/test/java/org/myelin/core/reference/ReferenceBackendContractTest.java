package org.myelin.core.reference;

import org.myelin.core.backend.Backend;
import org.myelin.core.backend.BackendContract;
import org.myelin.core.backend.Backends;

class ReferenceBackendContractTest extends BackendContract {
    @Override
    protected Backend backend() {
        return Backends.find("reference");
    }
}
