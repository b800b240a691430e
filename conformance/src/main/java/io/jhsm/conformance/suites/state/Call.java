package io.jhsm.conformance.suites.state;

/**
 * One step of a generated call sequence. Sessions and objects are named by model index (the i-th
 * session or object the sequence made), so a shrunk sequence reads the same on every module.
 */
sealed interface Call {
    /** The session number the call uses (the record component where there is one). */
    default int s() {
        return 0;
    }

    enum Kind { DIGEST, ENCRYPT }

    /** How an output buffer is offered: NULL (length query), a 0-byte array (too small if output), or enough. */
    enum Out { NULL, SMALL, EXACT }

    record Open(boolean rw) implements Call {
        public String toString() { return "C_OpenSession(" + (rw ? "RW" : "RO") + ")"; }
    }

    record Close(int s) implements Call {
        public String toString() { return "C_CloseSession(s" + s + ")"; }
    }

    record CloseAll() implements Call {
        public String toString() { return "C_CloseAllSessions"; }
    }

    record Login(int s, boolean so) implements Call {
        public String toString() { return "C_Login(s" + s + ", " + (so ? "CKU_SO" : "CKU_USER") + ")"; }
    }

    record Logout(int s) implements Call {
        public String toString() { return "C_Logout(s" + s + ")"; }
    }

    record Info(int s) implements Call {
        public String toString() { return "C_GetSessionInfo(s" + s + ")"; }
    }

    record Create(int s, boolean token, boolean priv) implements Call {
        public String toString() {
            return "C_CreateObject(s" + s + ", " + (token ? "token" : "session") + ", " + (priv ? "private" : "public") + ")";
        }
    }

    record Destroy(int s, int o) implements Call {
        public String toString() { return "C_DestroyObject(s" + s + ", o" + o + ")"; }
    }

    record Find(int s) implements Call {
        public String toString() { return "C_FindObjectsInit/C_FindObjects/C_FindObjectsFinal(s" + s + ")"; }
    }

    record OpInit(int s, Kind k) implements Call {
        public String toString() { return "C_" + name(k) + "Init(s" + s + ")"; }
    }

    record OpUpdate(int s, Kind k) implements Call {
        public String toString() { return "C_" + name(k) + "Update(s" + s + ")"; }
    }

    record OpFinal(int s, Kind k, Out out) implements Call {
        public String toString() { return "C_" + name(k) + "Final(s" + s + ", " + out + ")"; }
    }

    /** The single-part call; {@code badLength} offers 15 bytes to a block cipher without padding. */
    record OpOnce(int s, Kind k, Out out, boolean badLength) implements Call {
        public String toString() {
            return "C_" + name(k) + "(s" + s + ", " + out + (badLength && k == Kind.ENCRYPT ? ", 15 bytes" : "") + ")";
        }
    }

    /** PKCS#11 3.0: an Init call with a NULL mechanism ends the active operation. */
    record OpCancel(int s, Kind k) implements Call {
        public String toString() { return "C_" + name(k) + "Init(s" + s + ", NULL)"; }
    }

    static String name(Kind k) {
        return k == Kind.DIGEST ? "Digest" : "Encrypt";
    }
}
