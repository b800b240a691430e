package io.jhsm.itest;

import java.nio.file.Path;

/**
 * What a consumer test needs of the token it drives, wherever the token lives: a local token directory
 * ({@link TokenFixture}) or an HSM node reached through client.conf ({@link NetworkHsmFixture}), so one test class
 * can check a consumer against either.
 */
interface ConsumerToken {
    /** The PKCS#11 module the consumers load. */
    Path module();

    /** The token's label (RFC 7512 {@code token=}). */
    String label();

    /** The normal user's PIN (on a cluster CloudHSM's {@code name:password}). */
    String userPin();

    /** A file in the test's working directory. */
    Path file(String name);

    /** Any command with the environment that leads the module to the token. */
    Cmd cmd(String... argv);

    /** pkcs11-tool on the token, logged in as the normal user. */
    Cmd asUser(String... args);
}
