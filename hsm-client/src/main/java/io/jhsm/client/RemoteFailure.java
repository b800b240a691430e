package io.jhsm.client;

import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.v1.Response;

/** A CK_RV other than CKR_OK that the HSM returned, with its Response (which may carry results, e.g. derived key handles). */
final class RemoteFailure extends CkException {
    final transient Response response;

    RemoteFailure(Response response) {
        super(response.getRv(), response.getMessage().isEmpty() ? null : response.getMessage());
        this.response = response;
    }
}
