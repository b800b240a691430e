package io.jhsm.pkcs11;

/** CK_SESSION_INFO. */
public record CkSessionInfo(long slotId, long state, long flags, long deviceError) {}
