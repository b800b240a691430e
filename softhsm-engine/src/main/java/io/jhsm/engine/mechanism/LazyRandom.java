package io.jhsm.engine.mechanism;

import java.security.SecureRandom;

/**
 * The engine's generator for key values, IVs, PSS/OAEP/ECDSA randomness and operation-state ids, made at first
 * use rather than when the engine and its mechanism table are built at C_Initialize: the first SecureRandom
 * sets up the JCA provider list and seeds itself, a good part of a cold start that a consumer's first calls
 * (C_GetInfo, C_GetSlotList …) never need. One instance for all: SecureRandom is thread-safe, and the native
 * generator behind it is one for the whole JVM anyway.
 */
public final class LazyRandom {
    private LazyRandom() {}

    private static final class Holder {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    public static SecureRandom get() {
        return Holder.INSTANCE;
    }
}
