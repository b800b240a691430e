package io.jhsm.engine.cloudhsm;

import io.jhsm.pkcs11.CKU;

/**
 * CloudHSM's user types and how jhsm stores them: admin is PKCS#11's CKU_SO, crypto-user CKU_USER.
 * The unactivated admin is not stored: it is the admin of a cluster that was initialised but not yet
 * activated. The appliance user is internal (CloudHSM's app_user): it can neither log in through
 * PKCS#11 nor use keys, so it gets a vendor user type no C_Login accepts.
 */
public enum Role {
    UNACTIVATED_ADMIN("unactivated-admin", CKU.SO),
    ADMIN("admin", CKU.SO),
    CRYPTO_USER("crypto-user", CKU.USER),
    APPLIANCE("appliance", 0x80004A01L);

    private final String cliName;
    private final long stored;

    Role(String cliName, long stored) {
        this.cliName = cliName;
        this.stored = stored;
    }

    public String cliName() {
        return cliName;
    }

    public long stored() {
        return stored;
    }

    /** The role of a stored user, given whether the cluster is activated. */
    public static Role ofStored(long role, boolean activated) {
        if (role == CKU.SO) {
            return activated ? ADMIN : UNACTIVATED_ADMIN;
        }
        return role == CKU.USER ? CRYPTO_USER : APPLIANCE;
    }

    /** The role a CLI user names with --role; only admin and crypto-user log in. */
    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.cliName.equals(name)) {
                return r;
            }
        }
        throw new HsmException(HsmException.Code.BAD_INPUT, "unknown role '" + name + "' (admin, crypto-user)");
    }
}
