package io.jhsm.conformance.suites.lifecycle;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;

/**
 * The four operations whose calls follow the two-call length protocol (PKCS#11 3.0 §5.2), each with one
 * mechanism: encryption with AES-CBC-PAD (it buffers partial blocks), decryption with AES-CBC, digesting
 * with SHA-256 and signing with HMAC-SHA256. Digest and Sign Update calls have no output.
 */
enum Operation {
    ENCRYPT(CKM.AES_CBC_PAD, "C_Encrypt", FunctionList.C_Encrypt, FunctionList.C_EncryptUpdate, FunctionList.C_EncryptFinal) {
        @Override void init(Cryptoki p, long s, Keys k) { p.C_EncryptInit(s, cbc(CKM.AES_CBC_PAD), k.aes()); }
        @Override int single(Cryptoki p, long s, byte[] in, byte[] out) { return p.C_Encrypt(s, in, out); }
        @Override int update(Cryptoki p, long s, byte[] in, byte[] out) { return p.C_EncryptUpdate(s, in, out); }
        @Override int last(Cryptoki p, long s, byte[] out) { return p.C_EncryptFinal(s, out); }
    },
    DECRYPT(CKM.AES_CBC, "C_Decrypt", FunctionList.C_Decrypt, FunctionList.C_DecryptUpdate, FunctionList.C_DecryptFinal) {
        @Override void init(Cryptoki p, long s, Keys k) { p.C_DecryptInit(s, cbc(CKM.AES_CBC), k.aes()); }
        @Override int single(Cryptoki p, long s, byte[] in, byte[] out) { return p.C_Decrypt(s, in, out); }
        @Override int update(Cryptoki p, long s, byte[] in, byte[] out) { return p.C_DecryptUpdate(s, in, out); }
        @Override int last(Cryptoki p, long s, byte[] out) { return p.C_DecryptFinal(s, out); }
    },
    DIGEST(CKM.SHA256, "C_Digest", FunctionList.C_Digest, -1, FunctionList.C_DigestFinal) {
        @Override void init(Cryptoki p, long s, Keys k) { p.C_DigestInit(s, Mechanism.of(CKM.SHA256)); }
        @Override int single(Cryptoki p, long s, byte[] in, byte[] out) { return p.C_Digest(s, in, out); }
        @Override int update(Cryptoki p, long s, byte[] in, byte[] out) { p.C_DigestUpdate(s, in); return 0; }
        @Override int last(Cryptoki p, long s, byte[] out) { return p.C_DigestFinal(s, out); }
    },
    SIGN(CKM.SHA256_HMAC, "C_Sign", FunctionList.C_Sign, -1, FunctionList.C_SignFinal) {
        @Override void init(Cryptoki p, long s, Keys k) { p.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), k.hmac()); }
        @Override int single(Cryptoki p, long s, byte[] in, byte[] out) { return p.C_Sign(s, in, out); }
        @Override int update(Cryptoki p, long s, byte[] in, byte[] out) { p.C_SignUpdate(s, in); return 0; }
        @Override int last(Cryptoki p, long s, byte[] out) { return p.C_SignFinal(s, out); }
    };

    /** The keys an example works with: an AES key (encrypt, decrypt) and an HMAC key (sign). */
    record Keys(long aes, long hmac) {}

    final long mechanism;
    final String name;
    /** Function-table indices of the single-part, Update (-1: no output) and Final calls, for NULL pulLen. */
    final int singleIndex;
    final int updateIndex;
    final int finalIndex;

    Operation(long mechanism, String name, int singleIndex, int updateIndex, int finalIndex) {
        this.mechanism = mechanism;
        this.name = name;
        this.singleIndex = singleIndex;
        this.updateIndex = updateIndex;
        this.finalIndex = finalIndex;
    }

    abstract void init(Cryptoki p, long s, Keys k);

    /** The single-part call; {@code out == null} is a length query. */
    abstract int single(Cryptoki p, long s, byte[] in, byte[] out);

    /** The Update call; Digest and Sign have no output and return 0. */
    abstract int update(Cryptoki p, long s, byte[] in, byte[] out);

    /** The Final call; {@code out == null} is a length query. */
    abstract int last(Cryptoki p, long s, byte[] out);

    boolean updateHasOutput() {
        return updateIndex >= 0;
    }

    static final byte[] IV = new byte[16];

    private static Mechanism cbc(long type) {
        return Mechanism.of(type, new MechanismParams.Bytes(IV));
    }
}
