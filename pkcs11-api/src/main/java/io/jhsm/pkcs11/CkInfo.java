package io.jhsm.pkcs11;

/** CK_INFO. Strings are unpadded here; the C ABI blank-pads them to their fixed widths. */
public record CkInfo(CkVersion cryptokiVersion, String manufacturerId, long flags, String libraryDescription,
                     CkVersion libraryVersion) {}
