package io.jhsm.bridge;

import com.sun.jna.Callback;

/**
 * The C signatures of the PKCS#11 functions, by arity. Every parameter is a CK_ULONG or a pointer
 * (both 64-bit on LP64), so a {@code long} per argument and a {@code long} CK_RV cover them all and
 * keep JNA on its direct, reflection-free callback path. The one CK_BBOOL (C_GetSlotList) arrives
 * in a {@code long} whose upper bits the ABI leaves unspecified: its callback masks it.
 */
final class Shapes {
    private Shapes() {}

    interface F1 extends Callback { long invoke(long a); }
    interface F2 extends Callback { long invoke(long a, long b); }
    interface F3 extends Callback { long invoke(long a, long b, long c); }
    interface F4 extends Callback { long invoke(long a, long b, long c, long d); }
    interface F5 extends Callback { long invoke(long a, long b, long c, long d, long e); }
    interface F6 extends Callback { long invoke(long a, long b, long c, long d, long e, long f); }
    interface F7 extends Callback { long invoke(long a, long b, long c, long d, long e, long f, long g); }
    interface F8 extends Callback { long invoke(long a, long b, long c, long d, long e, long f, long g, long h); }
    interface F9 extends Callback { long invoke(long a, long b, long c, long d, long e, long f, long g, long h, long i); }
    interface F10 extends Callback { long invoke(long a, long b, long c, long d, long e, long f, long g, long h, long i, long j); }
}
