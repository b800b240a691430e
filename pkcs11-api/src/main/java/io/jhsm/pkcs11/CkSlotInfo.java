package io.jhsm.pkcs11;

/** CK_SLOT_INFO. */
public record CkSlotInfo(String slotDescription, String manufacturerId, long flags, CkVersion hardwareVersion,
                         CkVersion firmwareVersion) {}
