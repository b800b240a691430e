package io.jhsm.engine.token;

import io.jhsm.pkcs11.CKU;

/** Who is logged in to a token, for all sessions of this application: the role (CKU_SO or CKU_USER) and the user's name. */
public record LoginState(long role, String user) {

    public boolean isUser() {
        return role == CKU.USER;
    }

    public boolean isOfficer() {
        return role == CKU.SO;
    }
}
