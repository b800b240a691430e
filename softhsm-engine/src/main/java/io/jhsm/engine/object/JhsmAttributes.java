package io.jhsm.engine.object;

import io.jhsm.pkcs11.CKA;

/** jhsm's vendor-defined attributes (CKA_VENDOR_DEFINED | 0x4A48xxxx, "JH"). */
public final class JhsmAttributes {
    private JhsmAttributes() {}

    /** The name of the HSM user who created the object; empty for objects made in a public session. Read-only. */
    public static final long OWNER = CKA.VENDOR_DEFINED | 0x4A480001L;

    /**
     * The crypto users a key is shared with: their names, UTF-8, each followed by a newline. Only the
     * owner changes it (C_SetAttributeValue with the whole new list); it cannot be given at creation.
     */
    public static final long SHARED_WITH = CKA.VENDOR_DEFINED | 0x4A480002L;

    /** CloudHSM's per-key quorum (M of N) for key management (wrap, unwrap, share, unshare, set attribute): CK_ULONG, 0 or 1 = off. */
    public static final long MANAGE_QUORUM = CKA.VENDOR_DEFINED | 0x4A480003L;

    /** CloudHSM's per-key quorum for key usage (sign): CK_ULONG, 0 or 1 = off. */
    public static final long USE_QUORUM = CKA.VENDOR_DEFINED | 0x4A480004L;
}
