package io.jhsm.engine.mechanism;

import java.util.List;
import java.util.Set;

/**
 * A family of mechanisms (RSA, EC, AES, digests, HMAC …) that contributes its rows to the table. Its
 * legacy rows are insecure algorithms (single DES, MD5, RSA from 1024 bits, DES3 ECB/CBC wrapping) that
 * CloudHSM does not offer: the registry takes them only for a configuration with
 * {@code legacy-algorithms = true}, and a legacy row replaces the standard row of the same type.
 */
public interface MechanismFamily {

    List<MechanismEntry> entries();

    default List<MechanismEntry> legacyEntries() {
        return List.of();
    }

    /** Key types only the legacy rows use (CKK_DES): a token without them neither makes nor imports such keys. */
    default Set<Long> legacyKeyTypes() {
        return Set.of();
    }
}
