package io.jhsm.conformance.suites.abi;

import static io.jhsm.conformance.abi.FunctionList.*;
import static io.jhsm.conformance.suites.abi.RawAbi.rv;
import static io.jhsm.pkcs11.CKR.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.conformance.abi.Structs;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.QuickTheory;
import org.quicktheories.generators.SourceDSL;

/** Stale (closed, destroyed) and foreign handles get the *_HANDLE_INVALID codes (PKCS#11 3.0 §5.1). */
final class HandleProbe {
    private HandleProbe() {}

    static void run(RawAbi a, long slot, long s, long seed, int examples) {
        Memory h = RawAbi.ulong(0);
        a.expect("C_OpenSession", rv(OK), C_OpenSession, slot, CKF.SERIAL_SESSION, com.sun.jna.Pointer.NULL, com.sun.jna.Pointer.NULL, h);
        long closed = h.getLong(0);
        a.expect("C_CloseSession", rv(OK), C_CloseSession, closed);
        a.expect("C_GetSessionInfo(closed session)", rv(SESSION_HANDLE_INVALID), C_GetSessionInfo, closed, new Memory(32));
        a.expect("C_CloseSession(closed session)", rv(SESSION_HANDLE_INVALID), C_CloseSession, closed);
        a.expect("C_DigestInit(closed session)", rv(SESSION_HANDLE_INVALID), C_DigestInit, closed, RawAbi.mechanism(CKM.SHA256));

        // Structs: the attribute's value stays allocated as long as the array passed to the call.
        Pointer t = new Structs().template(List.of(Attribute.of(CKA.CLASS, CKO.DATA)));
        Memory o = RawAbi.ulong(0);
        a.expect("C_CreateObject(data)", rv(OK), C_CreateObject, s, t, 1L, o);
        long destroyed = o.getLong(0);
        a.expect("C_DestroyObject", rv(OK), C_DestroyObject, s, destroyed);
        a.expect("C_DestroyObject(destroyed)", rv(OBJECT_HANDLE_INVALID), C_DestroyObject, s, destroyed);
        a.expect("C_GetObjectSize(destroyed)", rv(OBJECT_HANDLE_INVALID), C_GetObjectSize, s, destroyed, RawAbi.ulong(0));
        a.expect("C_EncryptInit(destroyed key)", rv(KEY_HANDLE_INVALID, OBJECT_HANDLE_INVALID, MECHANISM_INVALID),
                C_EncryptInit, s, RawAbi.mechanism(CKM.AES_ECB), destroyed);

        Set<Long> live = new HashSet<>(Set.of(s));
        QuickTheory.qt().withFixedSeed(seed).withExamples(examples).forAll(SourceDSL.longs().all()).checkAssert(handle -> {
            if (live.contains(handle) || handle == 0) {
                return;
            }
            a.expect("C_GetSessionInfo(" + Long.toHexString(handle) + ")", rv(SESSION_HANDLE_INVALID), C_GetSessionInfo, handle, new Memory(32));
            a.expect("C_Logout(" + Long.toHexString(handle) + ")", rv(SESSION_HANDLE_INVALID), C_Logout, handle);
            a.expect("C_GetAttributeValue(object " + Long.toHexString(handle) + ")", rv(OBJECT_HANDLE_INVALID),
                    C_GetAttributeValue, s, handle, new Memory(24), 0L);
            a.expect("C_DestroyObject(" + Long.toHexString(handle) + ")", rv(OBJECT_HANDLE_INVALID), C_DestroyObject, s, handle);
        });
    }
}
