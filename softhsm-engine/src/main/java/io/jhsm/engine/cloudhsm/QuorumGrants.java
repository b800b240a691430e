package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Approved quorum tokens waiting for their one operation in this process. As in CloudHSM, a quorum
 * token works only in the CLI: the CLI verifies the approvals and grants here, and the engine takes
 * the grant when the operation runs. A PKCS#11 application in another process has no grants, so a
 * key whose quorum value is above 1 refuses it that service ("Quorum Failed", CKR_FUNCTION_REJECTED).
 */
public final class QuorumGrants {
    private QuorumGrants() {}

    private static final Set<String> GRANTS = ConcurrentHashMap.newKeySet();

    static void grant(HsmObject key, String service) {
        GRANTS.add(id(key, service));
    }

    /** Called by the engine before a key-management or key-usage operation on a key. */
    public static void require(HsmObject key, String service) {
        long attribute = Quorum.SERVICE_KEY_USAGE.equals(service) ? JhsmAttributes.USE_QUORUM : JhsmAttributes.MANAGE_QUORUM;
        if (key.ulongOr(attribute, 0) <= 1) {
            return;
        }
        if (!GRANTS.remove(id(key, service))) {
            throw new CkException(CKR.FUNCTION_REJECTED, "Quorum Failed: key " + key.handle() + " needs " + service
                    + " approval (a signed quorum token, in the CLI)");
        }
    }

    private static String id(HsmObject key, String service) {
        byte[] uid = key.attribute(CKA.UNIQUE_ID);
        return (uid == null ? Long.toString(key.handle()) : new String(uid, StandardCharsets.UTF_8)) + "/" + service;
    }
}
