package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.Mechanism;

/**
 * A cipher mechanism that also wraps: C_WrapKey is its encryption of the key encoding and
 * C_UnwrapKey its decryption, with the wrap-specific CK_RVs ({@link Wrapping}).
 */
public interface WrapsByEncrypting extends MechanismImpl {

    @Override
    default byte[] wrap(Mechanism mechanism, KeyView wrappingKey, byte[] keyEncoding) {
        return Wrapping.wrap(this, mechanism, wrappingKey, keyEncoding);
    }

    @Override
    default byte[] unwrap(Mechanism mechanism, KeyView unwrappingKey, byte[] wrapped) {
        return Wrapping.unwrap(this, mechanism, unwrappingKey, wrapped);
    }
}
