package io.jhsm.bridge;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.CkVersion;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording double of the engine: remembers what the bridge decoded and answers canned results,
 * so the tests exercise the real C shim and JNA marshalling without the real engine.
 */
public class RecordingCryptoki implements Cryptoki {
    /** The instance the bridge created at the last C_Initialize. */
    public static volatile RecordingCryptoki last;
    public static volatile int instances;

    public volatile InitializeArgs initArgs;
    public volatile Mechanism mechanism;
    public volatile List<Attribute> template;
    public volatile byte[] data;
    public volatile byte[] label;
    public volatile boolean finalized;
    public volatile MechanismParams messageParam;
    public volatile long messageFlags;
    public volatile Boolean lastPart;

    static final CkSessionInfo SESSION = new CkSessionInfo(7, 3, 6, 0);

    public RecordingCryptoki() {
        last = this;
        instances++;
    }

    @Override public void C_Initialize(InitializeArgs args) { initArgs = args; }
    @Override public void C_Finalize() { finalized = true; }

    @Override public CkInfo C_GetInfo() {
        return new CkInfo(new CkVersion(3, 0), "jhsm test", 0, "recording double", new CkVersion(0, 1));
    }

    @Override public long[] C_GetSlotList(boolean tokenPresent) { return tokenPresent ? new long[] {7} : new long[] {1, 7, 42}; }

    @Override public CkSlotInfo C_GetSlotInfo(long slotId) {
        return new CkSlotInfo("slot " + slotId, "jhsm", 1, new CkVersion(1, 2), new CkVersion(3, 4));
    }

    /** The label is 33 bytes of UTF-8 whose 32nd byte starts a two-byte character: truncation must not split it. */
    @Override public CkTokenInfo C_GetTokenInfo(long slotId) {
        return new CkTokenInfo("a".repeat(31) + "éz", "jhsm", "model", "serial", 0x40D, 10, 1, 10, 0, 64, 4, -1, -1, -1, -1,
                new CkVersion(1, 0), new CkVersion(2, 0), "2024010112000000");
    }

    @Override public long[] C_GetMechanismList(long slotId) { return new long[] {0x1087, 0x1088}; }
    @Override public CkMechanismInfo C_GetMechanismInfo(long slotId, long type) { return new CkMechanismInfo(16, 32, 0x300); }
    @Override public void C_InitToken(long slotId, byte[] soPin, byte[] label) { this.label = label; }
    @Override public void C_InitPIN(long h, byte[] pin) {}
    @Override public void C_SetPIN(long h, byte[] oldPin, byte[] newPin) {}
    @Override public long C_OpenSession(long slotId, long flags) { return 1000 + slotId; }

    @Override public void C_CloseSession(long h) {
        if (h == 666) {
            throw new CkException(CKR.SESSION_HANDLE_INVALID);
        }
    }

    @Override public void C_CloseAllSessions(long slotId) {}
    @Override public CkSessionInfo C_GetSessionInfo(long h) { return SESSION; }
    @Override public void C_Login(long h, long userType, byte[] pin) { data = pin; }

    /** Fails like a bug in the engine would. */
    @Override public void C_Logout(long h) { throw new IllegalStateException("boom"); }

    @Override public long C_CreateObject(long h, List<Attribute> template) { this.template = template; return 99; }
    @Override public long C_CopyObject(long h, long o, List<Attribute> template) { return 100; }
    @Override public void C_DestroyObject(long h, long o) {}
    @Override public long C_GetObjectSize(long h, long o) { return 1234; }

    @Override public List<AttributeReading> C_GetAttributeValue(long h, long o, long[] types) {
        List<AttributeReading> out = new ArrayList<>();
        for (long t : types) {
            if (t == CKA.LABEL) {
                out.add(AttributeReading.of(t, "hello".getBytes()));
            } else if (t == CKA.VALUE) {
                out.add(AttributeReading.unavailable(t, CKR.ATTRIBUTE_SENSITIVE));
            } else if (t == CKA.WRAP_TEMPLATE) {
                out.add(AttributeReading.ofTemplate(t, List.of(Attribute.of(CKA.CLASS, 4L), Attribute.of(CKA.TOKEN, true))));
            } else {
                out.add(AttributeReading.unavailable(t, CKR.ATTRIBUTE_TYPE_INVALID));
            }
        }
        return out;
    }

    @Override public void C_SetAttributeValue(long h, long o, List<Attribute> template) { this.template = template; }
    @Override public void C_FindObjectsInit(long h, List<Attribute> template) { this.template = template; }
    @Override public long[] C_FindObjects(long h, int max) { return new long[] {5, 6, 7}.length <= max ? new long[] {5, 6, 7} : new long[0]; }
    @Override public void C_FindObjectsFinal(long h) {}

    @Override public void C_EncryptInit(long h, Mechanism m, long key) { mechanism = m; }

    /** "Encrypts" to the data twice over, with the Cryptoki output conventions. */
    @Override public int C_Encrypt(long h, byte[] in, byte[] out) {
        data = in;
        int n = in.length * 2;
        if (out == null) {
            return n;
        }
        if (out.length < n) {
            throw new BufferTooSmallException(n);
        }
        System.arraycopy(in, 0, out, 0, in.length);
        System.arraycopy(in, 0, out, in.length, in.length);
        return n;
    }

    @Override public int C_EncryptUpdate(long h, byte[] part, byte[] out) { return C_Encrypt(h, part, out); }
    @Override public int C_EncryptFinal(long h, byte[] out) { return 0; }
    @Override public void C_DecryptInit(long h, Mechanism m, long key) { mechanism = m; }
    @Override public int C_Decrypt(long h, byte[] in, byte[] out) { return C_Encrypt(h, in, out); }
    @Override public int C_DecryptUpdate(long h, byte[] in, byte[] out) { return C_Encrypt(h, in, out); }
    @Override public int C_DecryptFinal(long h, byte[] out) { return 0; }
    @Override public void C_DigestInit(long h, Mechanism m) { mechanism = m; }
    @Override public int C_Digest(long h, byte[] in, byte[] out) { return C_Encrypt(h, in, out); }
    @Override public void C_DigestUpdate(long h, byte[] part) { data = part; }
    @Override public int C_DigestFinal(long h, byte[] out) { return 0; }
    @Override public void C_SignInit(long h, Mechanism m, long key) { mechanism = m; }
    @Override public int C_Sign(long h, byte[] in, byte[] out) { return C_Encrypt(h, in, out); }
    @Override public void C_SignUpdate(long h, byte[] part) {}
    @Override public int C_SignFinal(long h, byte[] out) { return 0; }
    @Override public void C_VerifyInit(long h, Mechanism m, long key) { mechanism = m; }
    @Override public void C_Verify(long h, byte[] in, byte[] sig) { data = sig; }
    @Override public void C_VerifyUpdate(long h, byte[] part) {}
    @Override public void C_VerifyFinal(long h, byte[] sig) {}
    @Override public long C_GenerateKey(long h, Mechanism m, List<Attribute> t) { mechanism = m; template = t; return 11; }

    @Override public long[] C_GenerateKeyPair(long h, Mechanism m, List<Attribute> pub, List<Attribute> priv) {
        mechanism = m;
        return new long[] {21, 22};
    }

    @Override public int C_WrapKey(long h, Mechanism m, long wrappingKey, long key, byte[] out) { mechanism = m; return 0; }

    @Override public long C_UnwrapKey(long h, Mechanism m, long unwrappingKey, byte[] wrapped, List<Attribute> t) {
        mechanism = m;
        return 31;
    }

    @Override public long C_DeriveKey(long h, Mechanism m, long baseKey, List<Attribute> t) { mechanism = m; return 41; }

    /** A 5-byte "ciphertext" of 0x33 and key 51, with the two-call protocol the engine follows. */
    @Override public io.jhsm.pkcs11.Encapsulation C_EncapsulateKey(long h, Mechanism m, long publicKey, List<Attribute> t, byte[] out) {
        mechanism = m;
        template = t;
        if (out == null) {
            return new io.jhsm.pkcs11.Encapsulation(5, 0);
        }
        if (out.length < 5) {
            throw new io.jhsm.pkcs11.BufferTooSmallException(5);
        }
        java.util.Arrays.fill(out, 0, 5, (byte) 0x33);
        return new io.jhsm.pkcs11.Encapsulation(5, 51);
    }

    @Override public long C_DecapsulateKey(long h, Mechanism m, long privateKey, List<Attribute> t, byte[] ciphertext) {
        mechanism = m;
        template = t;
        data = ciphertext;
        return 52;
    }

    /** Records the signature given first, then the data; the Final call answers CKR_SIGNATURE_INVALID. */
    @Override public void C_VerifySignatureInit(long h, Mechanism m, long key, byte[] signature) {
        mechanism = m;
        data = signature;
    }

    @Override public void C_VerifySignature(long h, byte[] in) { data = in; }

    @Override public void C_VerifySignatureUpdate(long h, byte[] part) { data = part; }

    @Override public void C_VerifySignatureFinal(long h) {
        throw new io.jhsm.pkcs11.CkException(io.jhsm.pkcs11.CKR.SIGNATURE_INVALID);
    }

    /** Records the associated data; the "wrapped key" is the 3-byte associated data's length in 0x44 bytes, key 61. */
    @Override public int C_WrapKeyAuthenticated(long h, Mechanism m, long wrappingKey, long key, byte[] aad, byte[] out) {
        mechanism = m;
        data = aad;
        if (out != null && out.length < aad.length) {
            throw new io.jhsm.pkcs11.BufferTooSmallException(aad.length);
        }
        if (out != null) {
            java.util.Arrays.fill(out, 0, aad.length, (byte) 0x44);
        }
        return aad.length;
    }

    @Override public long C_UnwrapKeyAuthenticated(long h, Mechanism m, long unwrappingKey, byte[] wrapped, List<Attribute> t,
                                                   byte[] aad) {
        mechanism = m;
        template = t;
        data = aad;
        return 61;
    }

    /** Session 1 exists; the flags are 0 as in the engine. */
    @Override public long C_GetSessionValidationFlags(long h, long type) {
        if (h != 1) {
            throw new io.jhsm.pkcs11.CkException(io.jhsm.pkcs11.CKR.SESSION_HANDLE_INVALID);
        }
        return 0;
    }

    @Override public void C_SeedRandom(long h, byte[] seed) {}

    @Override public void C_GenerateRandom(long h, byte[] out) {
        java.util.Arrays.fill(out, (byte) 0x5A);
    }

    // Message-based functions: record the decoded parameter; encryption "generates" an IV (0x11…) and
    // a tag (0x22…) in place as the engine does, decryption scribbles on them too (the bridge must not
    // copy a decryption's parameter back).

    @Override public void C_MessageEncryptInit(long h, Mechanism m, long key) { mechanism = m; }

    @Override public int C_EncryptMessage(long h, MechanismParams p, byte[] aad, byte[] in, byte[] out) {
        messageParam = p;
        label = aad;
        scribble(p, (byte) 0x11, (byte) 0x22);
        return C_Encrypt(h, in, out);
    }

    @Override public void C_EncryptMessageBegin(long h, MechanismParams p, byte[] aad) {
        messageParam = p;
        scribble(p, (byte) 0x11, (byte) 0);
    }

    @Override public int C_EncryptMessageNext(long h, MechanismParams p, byte[] in, byte[] out, long flags) {
        messageParam = p;
        messageFlags = flags;
        return C_Encrypt(h, in, out);
    }

    @Override public int C_DecryptMessage(long h, MechanismParams p, byte[] aad, byte[] in, byte[] out) {
        messageParam = p;
        scribble(p, (byte) 0x55, (byte) 0x55);
        return C_Encrypt(h, in, out);
    }

    @Override public int C_SignMessageNext(long h, MechanismParams p, byte[] part, boolean last, byte[] sig) {
        messageParam = p;
        lastPart = last;
        return last ? C_Encrypt(h, part, sig) : 0;
    }

    @Override public void C_VerifyMessageNext(long h, MechanismParams p, byte[] part, byte[] sig) {
        messageParam = p;
        data = sig;
    }

    private static void scribble(MechanismParams p, byte iv, byte tag) {
        if (p instanceof MechanismParams.GcmMessage g) {
            java.util.Arrays.fill(g.iv(), iv);
            java.util.Arrays.fill(g.tag(), tag);
        } else if (p instanceof MechanismParams.CcmMessage c) {
            java.util.Arrays.fill(c.nonce(), iv);
            java.util.Arrays.fill(c.mac(), tag);
        }
    }
}
