package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;
import static io.jhsm.bridge.ModuleClient.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.MechanismParams;

/** Calls that hand a mechanism to the module through its function table, and what the recording engine got. */
final class ParamCalls {
    private ParamCalls() {}

    static final ModuleClient m = new ModuleClient();

    static Memory struct(int size) {
        Memory s = new Memory(size);
        s.clear();
        return s;
    }

    /** A struct whose padding is garbage, as a C caller's stack would leave it. */
    static Memory dirty(int size) {
        Memory s = new Memory(size);
        for (int i = 0; i < size; i++) {
            s.setByte(i, (byte) 0xA5);
        }
        return s;
    }

    static long derive(long type, Pointer p, long len) {
        return m.call(C_DeriveKey, 1L, mechanism(type, p, len), 5L, Pointer.NULL, 0L, ulong(0));
    }

    static long signInit(long type, Pointer p, long len) {
        return m.call(C_SignInit, 1L, mechanism(type, p, len), 5L);
    }

    static long encryptInit(long type, Pointer p, long len) {
        return m.call(C_EncryptInit, 1L, mechanism(type, p, len), 5L);
    }

    static long wrap(long type, Pointer p, long len) {
        return m.call(C_WrapKey, 1L, mechanism(type, p, len), 5L, 6L, Pointer.NULL, ulong(0));
    }

    static long generate(long type, Pointer p, long len) {
        return m.call(C_GenerateKey, 1L, mechanism(type, p, len), Pointer.NULL, 0L, ulong(0));
    }

    static MechanismParams decoded() {
        return RecordingCryptoki.last.mechanism.params();
    }

    static <T extends MechanismParams> T decoded(Class<T> type) {
        return RecordingCryptoki.last.mechanism.params(type);
    }
}
