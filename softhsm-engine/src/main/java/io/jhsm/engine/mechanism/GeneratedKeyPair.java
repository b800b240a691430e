package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.Attribute;
import java.util.List;

/**
 * The key material of a new key pair, as attributes: e.g. for RSA, CKA_MODULUS and
 * CKA_PUBLIC_EXPONENT on the public side and all CRT components on the private side; for EC,
 * CKA_EC_PARAMS and CKA_EC_POINT (DER OCTET STRING) public, CKA_EC_PARAMS and CKA_VALUE private.
 * The engine adds the common attributes (class, key type, CKA_LOCAL, policy defaults) itself.
 */
public record GeneratedKeyPair(List<Attribute> publicKey, List<Attribute> privateKey) {}
