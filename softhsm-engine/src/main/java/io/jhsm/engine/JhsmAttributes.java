package io.jhsm.engine;

import io.jhsm.pkcs11.CKA;

/** jhsm's vendor-defined attributes (CKA_VENDOR_DEFINED | 0x4A48xxxx, "JH"). */
public final class JhsmAttributes {
    private JhsmAttributes() {}

    /** The name of the HSM user who created the object; empty for objects made in a public session. Read-only. */
    public static final long OWNER = CKA.VENDOR_DEFINED | 0x4A480001L;
}
