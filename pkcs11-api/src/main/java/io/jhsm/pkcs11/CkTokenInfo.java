package io.jhsm.pkcs11;

/** CK_TOKEN_INFO. {@code utcTime} is the 16-character YYYYMMDDhhmmss00 form. */
public record CkTokenInfo(String label, String manufacturerId, String model, String serialNumber, long flags,
                          long maxSessionCount, long sessionCount, long maxRwSessionCount, long rwSessionCount,
                          long maxPinLen, long minPinLen, long totalPublicMemory, long freePublicMemory,
                          long totalPrivateMemory, long freePrivateMemory, CkVersion hardwareVersion,
                          CkVersion firmwareVersion, String utcTime) {}
