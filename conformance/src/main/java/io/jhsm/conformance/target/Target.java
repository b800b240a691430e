package io.jhsm.conformance.target;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.pkcs11.Cryptoki;
import java.util.Map;

/**
 * A module under test with an initialised token: where it is, how to log in, and (for modules
 * loaded as shared objects) how a child process reaches the same token.
 */
public interface Target extends AutoCloseable {
    String name();

    Cryptoki cryptoki();

    long slot();

    byte[] userPin();

    /** Null when the SO PIN is unknown: rules that need the SO are then skipped. */
    byte[] soPin();

    /** The raw function table, or null in-process (the C ABI rules are then skipped). */
    FunctionList functions();

    /** Environment a child process needs to open the same token (module configuration files). */
    default Map<String, String> childEnvironment() {
        return Map.of();
    }

    @Override
    void close();
}
