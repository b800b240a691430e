package io.jhsm.engine.mechanism;

import java.util.List;

/** A family of mechanisms (RSA, EC, AES, digests, HMAC …) that contributes its rows to the table. */
public interface MechanismFamily {

    List<MechanismEntry> entries();
}
