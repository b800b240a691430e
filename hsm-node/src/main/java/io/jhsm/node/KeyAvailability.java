package io.jhsm.node;

import io.grpc.Context;
import io.grpc.Metadata;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.RequestSessions;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.util.function.IntSupplier;

/**
 * CloudHSM's key availability check ([UG]/troubleshoot-key-availability-check.html): an operation with a
 * token key needs the key on at least 2 HSMs, so a cluster of fewer HSMs refuses to start one
 * (CKR_FUNCTION_FAILED, "Key &lt;handle&gt; does not meet the availability requirements …"). Every HSM of a
 * cluster holds every token key, so the check is the number of HSMs in the Raft configuration; a standalone
 * node is a one-HSM cluster. A client whose configuration has {@code disable-key-availability-check = true}
 * sends {@value #HEADER_NAME}: off on its calls, as AWS tells a one-HSM cluster's users to configure, and
 * then nothing is checked. Only operation-inits with a key are looked at, and only in a cluster of one.
 */
final class KeyAvailability {
    static final String HEADER_NAME = "jhsm-key-availability-check";
    static final Metadata.Key<String> HEADER = Metadata.Key.of(HEADER_NAME, Metadata.ASCII_STRING_MARSHALLER);
    /** Set for a call whose client turned the check off. */
    static final Context.Key<Boolean> OFF = Context.key("jhsm.key-availability-off");
    static final int REQUIRED_HSMS = 2;

    private final IntSupplier hsmsInCluster;

    KeyAvailability(IntSupplier hsmsInCluster) {
        this.hsmsInCluster = hsmsInCluster;
    }

    static boolean turnedOff(Metadata headers) {
        return "off".equalsIgnoreCase(headers.get(HEADER));
    }

    /** Whether {@code r} (wire handles) must be looked at: it starts an operation with a key, in a cluster too small, unchecked. */
    boolean applies(Request r) {
        return key(r) != 0 && !Boolean.TRUE.equals(OFF.get()) && hsmsInCluster.getAsInt() < REQUIRED_HSMS;
    }

    /**
     * The refusal when {@code r}'s key is a token key; null when the operation may start (a session key, or
     * a handle the engine will refuse itself with the code PKCS#11 gives).
     */
    Response refusal(Application app, Request r) {
        long key = key(r);
        try {
            long session = app.handles.toEngine(RequestSessions.session(r));
            byte[] token = app.engine().C_GetAttributeValue(session, key, new long[] {CKA.TOKEN}).get(0).value();
            if (token == null || token.length != 1 || token[0] == 0) {
                return null;
            }
        } catch (CkException e) {
            return null; // the call itself answers the session or handle error
        }
        return Response.newBuilder().setRv(CKR.FUNCTION_FAILED).setMessage("Key " + key + " does not meet the availability"
                + " requirements - The key must be available on at least " + REQUIRED_HSMS + " HSMs before being used"
                + " (this cluster has " + hsmsInCluster.getAsInt() + "; add an HSM, or set disable-key-availability-check"
                + " = true in the client's configuration)").build();
    }

    /** The key an operation-init names (0 when the request starts no operation with a key). */
    static long key(Request r) {
        return switch (r.getFunctionCase()) {
            case ENCRYPT_INIT -> r.getEncryptInit().getKey();
            case DECRYPT_INIT -> r.getDecryptInit().getKey();
            case SIGN_INIT -> r.getSignInit().getKey();
            case SIGN_RECOVER_INIT -> r.getSignRecoverInit().getKey();
            case VERIFY_INIT -> r.getVerifyInit().getKey();
            case VERIFY_RECOVER_INIT -> r.getVerifyRecoverInit().getKey();
            case VERIFY_SIGNATURE_INIT -> r.getVerifySignatureInit().getKey();
            case MESSAGE_ENCRYPT_INIT -> r.getMessageEncryptInit().getKey();
            case MESSAGE_DECRYPT_INIT -> r.getMessageDecryptInit().getKey();
            case MESSAGE_SIGN_INIT -> r.getMessageSignInit().getKey();
            case MESSAGE_VERIFY_INIT -> r.getMessageVerifyInit().getKey();
            case DIGEST_KEY -> r.getDigestKey().getObject();
            case WRAP_KEY -> r.getWrapKey().getWrappingKey();
            case UNWRAP_KEY -> r.getUnwrapKey().getUnwrappingKey();
            case DERIVE_KEY -> r.getDeriveKey().getBaseKey();
            default -> 0;
        };
    }
}
