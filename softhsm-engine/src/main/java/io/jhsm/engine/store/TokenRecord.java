package io.jhsm.engine.store;

/** A token's identity: its 32-character label (blank-padded as PKCS#11 shows it) and serial number. */
public record TokenRecord(String label, String serialNumber) {}
