package io.jhsm.conformance.abi;

import static io.jhsm.conformance.abi.FunctionList.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Cryptoki} over any PKCS#11 shared object: each method marshals its Java values into the C
 * structs, calls the module's function table and maps a non-zero CK_RV to {@link CkException}.
 * Output buffers follow the interface's convention: null passes a NULL pointer (a length query),
 * otherwise the array's length is passed as the capacity.
 */
public final class NativeCryptoki implements Cryptoki {
    private final FunctionList f;
    private final AttributeReader reader;

    public NativeCryptoki(FunctionList functions) {
        this.f = functions;
        this.reader = new AttributeReader(functions);
    }

    public FunctionList functions() {
        return f;
    }

    private static void check(long rv) {
        AttributeReader.check(rv);
    }

    /** Calls a function whose last two arguments are (pOut, pulOutLen). */
    private int produce(int index, byte[] out, Object... leading) {
        Structs s = new Structs();
        Memory len = s.ulong(out == null ? 0 : out.length);
        Pointer buf = out == null ? Pointer.NULL : s.alloc(out.length);
        Object[] args = Arrays.copyOf(leading, leading.length + 2);
        args[leading.length] = buf;
        args[leading.length + 1] = len;
        long rv = f.call(index, args);
        if (rv == CKR.BUFFER_TOO_SMALL) {
            throw new BufferTooSmallException((int) len.getLong(0));
        }
        check(rv);
        int n = (int) len.getLong(0);
        if (out != null) {
            ((Memory) buf).read(0, out, 0, n);
        }
        return n;
    }

    /**
     * Calls an output-producing function (C_Encrypt, C_EncryptUpdate, C_DigestFinal …) with an output buffer
     * but pulLen NULL, which the {@link Cryptoki} interface cannot express; {@code in} is null for the Final
     * forms, which take no input. Returns the CK_RV (PKCS#11 says CKR_ARGUMENTS_BAD).
     */
    public long callWithNullLength(int index, long session, byte[] in, boolean takesInput) {
        Structs s = new Structs();
        Pointer out = s.alloc(Math.max(64, len(in) + 64));
        return takesInput ? f.call(index, session, s.bytes(in == null ? new byte[0] : in), len(in), out, Pointer.NULL)
                : f.call(index, session, out, Pointer.NULL);
    }

    private static long len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    // ---- general, slots, tokens

    @Override
    public void C_Initialize(InitializeArgs args) {
        Structs s = new Structs();
        Pointer p = Pointer.NULL;
        if (args != null) {
            Memory a = s.alloc(48); // four mutex callbacks, flags, pReserved
            a.setLong(32, args.flags());
            p = a;
        }
        check(f.call(C_Initialize, p));
    }

    @Override
    public void C_Finalize() {
        check(f.call(C_Finalize, Pointer.NULL));
    }

    @Override
    public CkInfo C_GetInfo() {
        Memory m = new Structs().alloc(InfoDecoder.INFO);
        check(f.call(C_GetInfo, m));
        return InfoDecoder.info(m);
    }

    @Override
    public long[] C_GetSlotList(boolean tokenPresent) {
        return ulongList(C_GetSlotList, (byte) (tokenPresent ? 1 : 0));
    }

    @Override
    public CkSlotInfo C_GetSlotInfo(long slotId) {
        Memory m = new Structs().alloc(InfoDecoder.SLOT_INFO);
        check(f.call(C_GetSlotInfo, slotId, m));
        return InfoDecoder.slotInfo(m);
    }

    @Override
    public CkTokenInfo C_GetTokenInfo(long slotId) {
        Memory m = new Structs().alloc(InfoDecoder.TOKEN_INFO);
        check(f.call(C_GetTokenInfo, slotId, m));
        return InfoDecoder.tokenInfo(m);
    }

    @Override
    public long[] C_GetMechanismList(long slotId) {
        return ulongList(C_GetMechanismList, slotId);
    }

    /** The two-call protocol for CK_ULONG lists, repeated while the list grows between the calls. */
    private long[] ulongList(int index, Object first) {
        while (true) {
            Structs s = new Structs();
            Memory count = s.ulong(0);
            check(f.call(index, first, Pointer.NULL, count));
            long n = count.getLong(0);
            Memory list = s.alloc(8 * n);
            long rv = f.call(index, first, list, count);
            if (rv != CKR.BUFFER_TOO_SMALL) {
                check(rv);
                return count.getLong(0) == 0 ? new long[0] : list.getLongArray(0, (int) count.getLong(0));
            }
        }
    }

    @Override
    public CkMechanismInfo C_GetMechanismInfo(long slotId, long mechanismType) {
        Memory m = new Structs().alloc(InfoDecoder.MECHANISM_INFO);
        check(f.call(C_GetMechanismInfo, slotId, mechanismType, m));
        return InfoDecoder.mechanismInfo(m);
    }

    @Override
    public void C_InitToken(long slotId, byte[] soPin, byte[] label) {
        Structs s = new Structs();
        check(f.call(C_InitToken, slotId, s.bytes(soPin), len(soPin), s.bytes(label)));
    }

    @Override
    public void C_InitPIN(long hSession, byte[] pin) {
        check(f.call(C_InitPIN, hSession, new Structs().bytes(pin), len(pin)));
    }

    @Override
    public void C_SetPIN(long hSession, byte[] oldPin, byte[] newPin) {
        Structs s = new Structs();
        check(f.call(C_SetPIN, hSession, s.bytes(oldPin), len(oldPin), s.bytes(newPin), len(newPin)));
    }

    // ---- sessions

    @Override
    public long C_OpenSession(long slotId, long flags) {
        Memory h = new Structs().ulong(0);
        check(f.call(C_OpenSession, slotId, flags, Pointer.NULL, Pointer.NULL, h));
        return h.getLong(0);
    }

    @Override
    public void C_CloseSession(long hSession) {
        check(f.call(C_CloseSession, hSession));
    }

    @Override
    public void C_CloseAllSessions(long slotId) {
        check(f.call(C_CloseAllSessions, slotId));
    }

    @Override
    public CkSessionInfo C_GetSessionInfo(long hSession) {
        Memory m = new Structs().alloc(InfoDecoder.SESSION_INFO);
        check(f.call(C_GetSessionInfo, hSession, m));
        return InfoDecoder.sessionInfo(m);
    }

    @Override
    public long C_GetSessionValidationFlags(long hSession, long type) {
        Memory flags = new Structs().ulong(0);
        check(f.call(C_GetSessionValidationFlags, hSession, type, flags));
        return flags.getLong(0);
    }

    @Override
    public int C_GetOperationState(long hSession, byte[] state) {
        return produce(C_GetOperationState, state, hSession);
    }

    @Override
    public void C_SetOperationState(long hSession, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        check(f.call(C_SetOperationState, hSession, new Structs().bytes(state), len(state), hEncryptionKey, hAuthenticationKey));
    }

    @Override
    public void C_Login(long hSession, long userType, byte[] pin) {
        check(f.call(C_Login, hSession, userType, new Structs().bytes(pin), len(pin)));
    }

    @Override
    public void C_Logout(long hSession) {
        check(f.call(C_Logout, hSession));
    }

    @Override
    public void C_SessionCancel(long hSession, long flags) {
        check(f.call(C_SessionCancel, hSession, flags));
    }

    // ---- objects

    @Override
    public long C_CreateObject(long hSession, List<Attribute> template) {
        Structs s = new Structs();
        Memory h = s.ulong(0);
        check(f.call(C_CreateObject, hSession, s.template(template), (long) template.size(), h));
        return h.getLong(0);
    }

    @Override
    public long C_CopyObject(long hSession, long hObject, List<Attribute> template) {
        Structs s = new Structs();
        Memory h = s.ulong(0);
        check(f.call(C_CopyObject, hSession, hObject, s.template(template), (long) template.size(), h));
        return h.getLong(0);
    }

    @Override
    public void C_DestroyObject(long hSession, long hObject) {
        check(f.call(C_DestroyObject, hSession, hObject));
    }

    @Override
    public long C_GetObjectSize(long hSession, long hObject) {
        Memory size = new Structs().ulong(0);
        check(f.call(C_GetObjectSize, hSession, hObject, size));
        return size.getLong(0);
    }

    @Override
    public List<AttributeReading> C_GetAttributeValue(long hSession, long hObject, long[] types) {
        return reader.read(hSession, hObject, types);
    }

    @Override
    public void C_SetAttributeValue(long hSession, long hObject, List<Attribute> template) {
        check(f.call(C_SetAttributeValue, hSession, hObject, new Structs().template(template), (long) template.size()));
    }

    @Override
    public void C_FindObjectsInit(long hSession, List<Attribute> template) {
        check(f.call(C_FindObjectsInit, hSession, new Structs().template(template), (long) (template == null ? 0 : template.size())));
    }

    @Override
    public long[] C_FindObjects(long hSession, int maxObjectCount) {
        Structs s = new Structs();
        Memory handles = s.alloc(8L * maxObjectCount);
        Memory count = s.ulong(0);
        check(f.call(C_FindObjects, hSession, handles, (long) maxObjectCount, count));
        int n = (int) count.getLong(0);
        return n == 0 ? new long[0] : handles.getLongArray(0, n);
    }

    @Override
    public void C_FindObjectsFinal(long hSession) {
        check(f.call(C_FindObjectsFinal, hSession));
    }

    // The crypto functions live in NativeCrypto to keep this class readable; they share produce().
    private final NativeCrypto crypto = new NativeCrypto(this::produce, this::call);

    long call(int index, Object... args) {
        return f.call(index, args);
    }

    @Override public void C_EncryptInit(long h, Mechanism m, long k) { crypto.init(C_EncryptInit, h, m, k); }
    @Override public int C_Encrypt(long h, byte[] in, byte[] out) { return crypto.oneShot(C_Encrypt, h, in, out); }
    @Override public int C_EncryptUpdate(long h, byte[] in, byte[] out) { return crypto.oneShot(C_EncryptUpdate, h, in, out); }
    @Override public int C_EncryptFinal(long h, byte[] out) { return produce(C_EncryptFinal, out, h); }
    @Override public void C_DecryptInit(long h, Mechanism m, long k) { crypto.init(C_DecryptInit, h, m, k); }
    @Override public int C_Decrypt(long h, byte[] in, byte[] out) { return crypto.oneShot(C_Decrypt, h, in, out); }
    @Override public int C_DecryptUpdate(long h, byte[] in, byte[] out) { return crypto.oneShot(C_DecryptUpdate, h, in, out); }
    @Override public int C_DecryptFinal(long h, byte[] out) { return produce(C_DecryptFinal, out, h); }
    @Override public void C_DigestInit(long h, Mechanism m) { crypto.digestInit(h, m); }
    @Override public int C_Digest(long h, byte[] in, byte[] out) { return crypto.oneShot(C_Digest, h, in, out); }
    @Override public void C_DigestUpdate(long h, byte[] in) { crypto.update(C_DigestUpdate, h, in); }
    @Override public int C_DigestFinal(long h, byte[] out) { return produce(C_DigestFinal, out, h); }
    @Override public void C_SignInit(long h, Mechanism m, long k) { crypto.init(C_SignInit, h, m, k); }
    @Override public int C_Sign(long h, byte[] in, byte[] out) { return crypto.oneShot(C_Sign, h, in, out); }
    @Override public void C_SignUpdate(long h, byte[] in) { crypto.update(C_SignUpdate, h, in); }
    @Override public int C_SignFinal(long h, byte[] out) { return produce(C_SignFinal, out, h); }
    @Override public void C_VerifyInit(long h, Mechanism m, long k) { crypto.init(C_VerifyInit, h, m, k); }
    @Override public void C_Verify(long h, byte[] in, byte[] sig) { crypto.verify(h, in, sig); }
    @Override public void C_VerifyUpdate(long h, byte[] in) { crypto.update(C_VerifyUpdate, h, in); }
    @Override public void C_VerifyFinal(long h, byte[] sig) { crypto.update(C_VerifyFinal, h, sig); }
    @Override public long C_GenerateKey(long h, Mechanism m, List<Attribute> t) { return crypto.generateKey(h, m, t); }
    @Override public long[] C_GenerateKeyPair(long h, Mechanism m, List<Attribute> pub, List<Attribute> priv) {
        return crypto.generateKeyPair(h, m, pub, priv);
    }
    @Override public int C_WrapKey(long h, Mechanism m, long wrapping, long key, byte[] out) {
        return crypto.wrap(h, m, wrapping, key, out);
    }
    @Override public long C_UnwrapKey(long h, Mechanism m, long unwrapping, byte[] blob, List<Attribute> t) {
        return crypto.unwrap(h, m, unwrapping, blob, t);
    }
    @Override public long C_DeriveKey(long h, Mechanism m, long base, List<Attribute> t) { return crypto.derive(h, m, base, t); }
    @Override public int C_WrapKeyAuthenticated(long h, Mechanism m, long wrapping, long key, byte[] aad, byte[] out) {
        return crypto.wrapAuthenticated(h, m, wrapping, key, aad, out);
    }
    @Override
    public long C_UnwrapKeyAuthenticated(long h, Mechanism m, long unwrapping, byte[] blob, List<Attribute> t, byte[] aad) {
        return crypto.unwrapAuthenticated(h, m, unwrapping, blob, t, aad);
    }
    @Override
    public io.jhsm.pkcs11.Encapsulation C_EncapsulateKey(long h, Mechanism m, long publicKey, List<Attribute> t, byte[] out) {
        Structs s = new Structs();
        Memory key = s.ulong(0);
        Memory len = s.ulong(out == null ? 0 : out.length);
        Pointer buf = out == null ? Pointer.NULL : s.alloc(out.length);
        long rv = f.call(C_EncapsulateKey, h, s.mechanism(m), publicKey, s.template(t), (long) t.size(), buf, len, key);
        if (rv == CKR.BUFFER_TOO_SMALL) {
            throw new BufferTooSmallException((int) len.getLong(0));
        }
        check(rv);
        if (out != null) {
            ((Memory) buf).read(0, out, 0, (int) len.getLong(0));
        }
        return new io.jhsm.pkcs11.Encapsulation((int) len.getLong(0), key.getLong(0));
    }

    @Override
    public long C_DecapsulateKey(long h, Mechanism m, long privateKey, List<Attribute> t, byte[] ciphertext) {
        Structs s = new Structs();
        Memory key = s.ulong(0);
        check(f.call(C_DecapsulateKey, h, s.mechanism(m), privateKey, s.template(t), (long) t.size(), s.bytes(ciphertext), len(ciphertext), key));
        return key.getLong(0);
    }

    @Override
    public void C_VerifySignatureInit(long h, Mechanism m, long key, byte[] signature) {
        Structs s = new Structs();
        check(f.call(C_VerifySignatureInit, h, s.mechanism(m), key, s.bytes(signature), len(signature)));
    }

    @Override public void C_VerifySignature(long h, byte[] data) { crypto.update(C_VerifySignature, h, data); }
    @Override public void C_VerifySignatureUpdate(long h, byte[] part) { crypto.update(C_VerifySignatureUpdate, h, part); }
    @Override public void C_VerifySignatureFinal(long h) { check(f.call(C_VerifySignatureFinal, h)); }

    @Override public void C_SeedRandom(long h, byte[] seed) { crypto.update(C_SeedRandom, h, seed); }
    @Override public void C_GenerateRandom(long h, byte[] out) { crypto.random(h, out); }
}
