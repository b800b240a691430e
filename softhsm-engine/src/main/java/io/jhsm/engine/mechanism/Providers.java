package io.jhsm.engine.mechanism;

import java.security.Provider;
import java.security.Security;

/**
 * The JDK providers we call by object: getInstance(name, Provider) skips the provider-list walk,
 * and pins us to the intrinsic-backed SunJCE even if an application installs BC first.
 */
public final class Providers {
    private Providers() {}

    public static final Provider SUN_JCE = require("SunJCE");

    private static Provider require(String name) {
        Provider p = Security.getProvider(name);
        if (p == null) {
            throw new ExceptionInInitializerError("JDK provider " + name + " missing");
        }
        return p;
    }
}
