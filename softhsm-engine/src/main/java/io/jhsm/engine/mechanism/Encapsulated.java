package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.Attribute;
import java.util.List;

/** A KEM encapsulation: the new secret key's attributes and the ciphertext for the private key's holder. */
public record Encapsulated(List<Attribute> key, byte[] ciphertext) {}
