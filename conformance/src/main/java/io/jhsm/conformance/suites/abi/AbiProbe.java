package io.jhsm.conformance.suites.abi;

import static io.jhsm.conformance.abi.FunctionList.*;
import static io.jhsm.conformance.suites.abi.RawAbi.NULL;
import static io.jhsm.conformance.suites.abi.RawAbi.rv;
import static io.jhsm.pkcs11.CKR.*;

import com.sun.jna.Memory;
import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKU;
import java.nio.charset.StandardCharsets;

/**
 * The child-process side of the C ABI rules: {@code AbiProbe RULE MODULE TOKEN-LABEL PIN SEED EXAMPLES}.
 * Prints one "FAIL ..." line per violation and "DONE"; a crash shows as a missing DONE.
 */
public final class AbiProbe {
    private AbiProbe() {}

    public static void main(String[] args) {
        String rule = args[0];
        RawAbi a = new RawAbi(FunctionList.load(args[1]));
        String label = args[2];
        byte[] pin = args[3].getBytes(StandardCharsets.UTF_8);
        long seed = Long.parseLong(args[4]);
        int examples = Integer.parseInt(args[5]);
        if (rule.equals("abi.calls-outside-initialize")) {
            outsideInitialize(a);
        } else {
            Memory init = new Memory(48);
            init.clear();
            init.setLong(32, CKF.OS_LOCKING_OK);
            a.expect("C_Initialize", rv(OK), C_Initialize, init);
            long slot = slotOf(a, label);
            long s = openUserSession(a, slot, pin);
            switch (rule) {
                case "abi.null-pointers" -> nullPointers(a, slot, s);
                case "abi.zero-and-huge-lengths" -> lengths(a, s);
                case "abi.stale-and-foreign-handles" -> HandleProbe.run(a, slot, s, seed, examples);
                case "abi.garbage-templates" -> GarbageTemplates.run(a, s, seed, examples);
                default -> a.failures.add("unknown probe " + rule);
            }
            a.expect("C_Finalize", rv(OK), C_Finalize, NULL);
        }
        a.failures.forEach(f -> System.out.println("FAIL " + f));
        System.out.println("DONE");
        System.out.flush();
    }

    static long slotOf(RawAbi a, String label) {
        Memory count = RawAbi.ulong(0);
        a.expect("C_GetSlotList", rv(OK), C_GetSlotList, (byte) 1, NULL, count);
        Memory slots = new Memory(8 * Math.max(1, count.getLong(0)));
        a.expect("C_GetSlotList", rv(OK), C_GetSlotList, (byte) 1, slots, count);
        Memory info = new Memory(208);
        for (long slot : slots.getLongArray(0, (int) count.getLong(0))) {
            if (a.f.call(C_GetTokenInfo, slot, info) == OK
                    && new String(info.getByteArray(0, 32), StandardCharsets.UTF_8).strip().equals(label)) {
                return slot;
            }
        }
        a.failures.add("no token labelled " + label);
        return -1;
    }

    static long openUserSession(RawAbi a, long slot, byte[] pin) {
        Memory h = RawAbi.ulong(0);
        a.expect("C_OpenSession", rv(OK), C_OpenSession, slot, CKF.SERIAL_SESSION | CKF.RW_SESSION, NULL, NULL, h);
        a.expect("C_Login", rv(OK, USER_ALREADY_LOGGED_IN), C_Login, h.getLong(0), CKU.USER, RawAbi.bytes(pin), (long) pin.length);
        return h.getLong(0);
    }

    private static void outsideInitialize(RawAbi a) {
        Memory info = new Memory(88);
        Memory count = RawAbi.ulong(0);
        a.expect("C_GetInfo before C_Initialize", rv(CRYPTOKI_NOT_INITIALIZED), C_GetInfo, info);
        a.expect("C_GetSlotList before C_Initialize", rv(CRYPTOKI_NOT_INITIALIZED), C_GetSlotList, (byte) 0, NULL, count);
        a.expect("C_OpenSession before C_Initialize", rv(CRYPTOKI_NOT_INITIALIZED), C_OpenSession, 0L, CKF.SERIAL_SESSION, NULL, NULL, count);
        a.expect("C_Finalize before C_Initialize", rv(CRYPTOKI_NOT_INITIALIZED), C_Finalize, NULL);
        Memory reserved = new Memory(48);
        reserved.clear();
        reserved.setLong(40, 1); // pReserved must be NULL
        a.expect("C_Initialize with pReserved set", rv(ARGUMENTS_BAD), C_Initialize, reserved);
        a.expect("C_Initialize", rv(OK), C_Initialize, NULL);
        a.expect("C_Initialize twice", rv(CRYPTOKI_ALREADY_INITIALIZED), C_Initialize, NULL);
        a.expect("C_Finalize with pReserved set", rv(ARGUMENTS_BAD), C_Finalize, new Memory(8));
        a.expect("C_Finalize", rv(OK), C_Finalize, NULL);
        a.expect("C_GetInfo after C_Finalize", rv(CRYPTOKI_NOT_INITIALIZED), C_GetInfo, info);
        a.expect("C_Finalize after C_Finalize", rv(CRYPTOKI_NOT_INITIALIZED), C_Finalize, NULL);
        a.expect("C_Initialize again", rv(OK), C_Initialize, NULL);
        a.expect("C_GetInfo after re-initialising", rv(OK), C_GetInfo, info);
        a.expect("C_Finalize", rv(OK), C_Finalize, NULL);
    }

    private static void nullPointers(RawAbi a, long slot, long s) {
        Memory len = RawAbi.ulong(16);
        Memory buf = new Memory(64);
        a.expect("C_GetInfo(NULL)", rv(ARGUMENTS_BAD), C_GetInfo, NULL);
        a.expect("C_GetSlotList(pulCount NULL)", rv(ARGUMENTS_BAD), C_GetSlotList, (byte) 0, NULL, NULL);
        a.expect("C_GetTokenInfo(NULL)", rv(ARGUMENTS_BAD), C_GetTokenInfo, slot, NULL);
        a.expect("C_GetSessionInfo(NULL)", rv(ARGUMENTS_BAD), C_GetSessionInfo, s, NULL);
        a.expect("C_OpenSession(phSession NULL)", rv(ARGUMENTS_BAD), C_OpenSession, slot, CKF.SERIAL_SESSION, NULL, NULL, NULL);
        a.expect("C_CreateObject(pTemplate NULL, ulCount 2)", rv(ARGUMENTS_BAD), C_CreateObject, s, NULL, 2L, RawAbi.ulong(0));
        a.expect("C_CreateObject(phObject NULL)", rv(ARGUMENTS_BAD, TEMPLATE_INCOMPLETE), C_CreateObject, s, new Memory(24), 0L, NULL);
        a.expect("C_FindObjects(phObject NULL)", rv(ARGUMENTS_BAD, OPERATION_NOT_INITIALIZED), C_FindObjects, s, NULL, 1L, len);
        a.expect("C_DigestInit(SHA256)", rv(OK), C_DigestInit, s, RawAbi.mechanism(CKM.SHA256));
        a.expect("C_Digest(pulDigestLen NULL)", rv(ARGUMENTS_BAD), C_Digest, s, buf, 4L, buf, NULL);
        a.expect("C_Digest(pData NULL, ulDataLen 4)", rv(ARGUMENTS_BAD, OPERATION_NOT_INITIALIZED), C_Digest, s, NULL, 4L, buf, len);
        a.expect("C_GenerateRandom(NULL, 16)", rv(ARGUMENTS_BAD), C_GenerateRandom, s, NULL, 16L);
        a.expect("C_SignInit(pMechanism NULL) with no operation", rv(ARGUMENTS_BAD, OK), C_SignInit, s, NULL, 1L);
    }

    private static void lengths(RawAbi a, long s) {
        Memory buf = new Memory(16);
        a.expect("C_GenerateRandom(ulRandomLen 0)", rv(OK), C_GenerateRandom, s, buf, 0L);
        a.expect("C_CreateObject(ulCount 0)", rv(TEMPLATE_INCOMPLETE), C_CreateObject, s, buf, 0L, RawAbi.ulong(0));
        a.expect("C_GenerateRandom(ulRandomLen 2^40)", rv(ARGUMENTS_BAD, HOST_MEMORY, DATA_LEN_RANGE), C_GenerateRandom, s, buf, 1L << 40);
        a.expect("C_CreateObject(ulCount 2^60)", rv(ARGUMENTS_BAD, HOST_MEMORY, TEMPLATE_INCONSISTENT), C_CreateObject, s, buf, 1L << 60, RawAbi.ulong(0));
        a.expect("C_Login(ulPinLen 2^40)", rv(ARGUMENTS_BAD, PIN_LEN_RANGE, PIN_INCORRECT, USER_ALREADY_LOGGED_IN), C_Login, s, CKU.USER, buf, 1L << 40);
        a.expect("C_DigestInit(SHA256)", rv(OK), C_DigestInit, s, RawAbi.mechanism(CKM.SHA256));
        a.expect("C_Digest(ulDataLen ~0)", rv(ARGUMENTS_BAD, DATA_LEN_RANGE, HOST_MEMORY), C_Digest, s, buf, -1L, buf, RawAbi.ulong(16));
        a.expect("C_DigestInit after the failed C_Digest", rv(OK), C_DigestInit, s, RawAbi.mechanism(CKM.SHA256));
        a.expect("C_Digest(ulDataLen 0)", rv(OK), C_Digest, s, buf, 0L, new Memory(32), RawAbi.ulong(32));
    }
}
