package io.jhsm.pkcs11;

/** CK_MECHANISM_INFO. Key sizes are in bits or bytes as the mechanism's definition says. */
public record CkMechanismInfo(long minKeySize, long maxKeySize, long flags) {}
