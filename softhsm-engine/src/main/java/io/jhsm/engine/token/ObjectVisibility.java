package io.jhsm.engine.token;

import io.jhsm.engine.object.HsmObject;

/**
 * Which objects a login may see. The token asks; the key model answers (PKCS#11's private-object rule
 * plus CloudHSM's ownership, {@code cloudhsm.KeyPolicy::visible}), so the token does not depend on it.
 */
@FunctionalInterface
public interface ObjectVisibility {
    boolean visible(HsmObject o, LoginState login);
}
