package io.jhsm.node;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.RequestSessions;
import io.jhsm.protocol.v1.Request;
import java.security.SecureRandom;

/**
 * Session handles as one application sees them: the engine's handle in the low 32 bits and a tag
 * drawn for this application in the high ones. Each connection's engine numbers its sessions from 1,
 * so without the tag a handle kept across a reconnection (a new application) would name the new
 * application's session of the same number; with it, the handle answers CKR_SESSION_HANDLE_INVALID,
 * as a handle of a finalised application must.
 */
final class SessionHandles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long LOW = 0xffff_ffffL;

    private final long tag;

    SessionHandles() {
        this.tag = (1 + RANDOM.nextInt(Integer.MAX_VALUE - 1)) & 0x7fff_ffffL;
    }

    long toWire(long engineHandle) {
        if ((engineHandle & ~LOW) != 0) {
            throw new CkException(CKR.GENERAL_ERROR, "engine session handle " + engineHandle + " above 32 bits");
        }
        return tag << 32 | engineHandle;
    }

    long toEngine(long wireHandle) {
        if (wireHandle >>> 32 != tag) {
            throw new CkException(CKR.SESSION_HANDLE_INVALID, "not a session of this application (connection)");
        }
        return wireHandle & LOW;
    }

    /** The request with its session handle in the engine's numbering. */
    Request toEngine(Request r) {
        return RequestSessions.hasSession(r) ? RequestSessions.withSession(r, toEngine(RequestSessions.session(r))) : r;
    }
}
