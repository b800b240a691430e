package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;

/**
 * CK_C_INITIALIZE_ARGS {CreateMutex, DestroyMutex, LockMutex, UnlockMutex, flags, pReserved}, judged
 * by PKCS#11 3.0 section 5.4 (C_Initialize):
 * <ul>
 *   <li>pReserved must be NULL, and the four mutex functions are given all or none: else ARGUMENTS_BAD;</li>
 *   <li>mutex functions without CKF_OS_LOCKING_OK oblige the library to use them: a JVM cannot lock
 *       with C callbacks, so CKR_CANT_LOCK. With the flag set the library may use its own locks;</li>
 *   <li>CKF_LIBRARY_CANT_CREATE_OS_THREADS is accepted: the JVM's own threads (GC, JIT) never call into the
 *       application, which is what the flag protects. p11-kit sets it for every module it loads, and
 *       answering CKR_NEED_TO_CREATE_THREADS would lock jhsm out of p11-kit, GnuTLS and NSS-via-p11-kit.</li>
 * </ul>
 */
final class InitArgsCodec {
    private InitArgsCodec() {}

    static InitializeArgs decode(long pInitArgs) {
        if (pInitArgs == 0) {
            return InitializeArgs.NONE;
        }
        Pointer p = NativeMem.at(pInitArgs);
        int mutexFunctions = 0;
        for (int i = 0; i < 4; i++) {
            mutexFunctions += p.getLong(i * 8L) != 0 ? 1 : 0;
        }
        long flags = p.getLong(32);
        boolean reserved = p.getLong(40) != 0;
        if (reserved || (mutexFunctions != 0 && mutexFunctions != 4)) {
            throw new CkException(CKR.ARGUMENTS_BAD, reserved ? "pReserved is not NULL" : "some but not all mutex functions");
        }
        if (mutexFunctions == 4 && (flags & CKF.OS_LOCKING_OK) == 0) {
            throw new CkException(CKR.CANT_LOCK, "application mutexes required but cannot be used from Java");
        }
        return new InitializeArgs(flags, mutexFunctions == 4, false);
    }
}
