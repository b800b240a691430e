package io.jhsm.itest;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The C ABI of dist/libjhsm-client.so (issue 18), the JVM-free client of the network HSM: src/test/c/nc_abi.c calls
 * it as an application would, against a node started for this class, and checks every CK_RV against the Java
 * bridge's (libjhsm.so's) answer for the same C call and every cryptographic result with OpenSSL's libcrypto,
 * which never talks to the node. Each case is a process of its own (one PKCS#11 application) that prints
 * "FAIL …" per broken rule and "ok CASE" when all held.
 * <p>
 * The token has the pkcs11 profile (the message functions, HKDF and generic-secret reads are PKCS#11 3.x's, which
 * CloudHSM's library lacks); the GCM case switches it to the cluster's cloudhsm profile, whose HSM writes the IV.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NativeClientAbiTest {
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");
    static Path program;

    @BeforeAll
    static void buildTheAbiProgram() throws IOException {
        program = CPrograms.gcc("nc_abi", "-I/usr/include/p11-kit-1", CPrograms.source("nc_abi.c"),
                CPrograms.source("nc_abi_params.c"), "-ldl", "-lcrypto", "-pthread");
    }

    static void holds(String c) {
        hsm.cmd(program.toString(), NetworkHsmFixture.dist("libjhsm-client.so").toString(), NetworkHsmFixture.alicePin(), c)
                .run().assertOk("nc_abi " + c + " (see the FAIL lines)").assertOutputContains("ok " + c, "nc_abi " + c);
    }

    @Test
    void functionListsAndInterfacesAreAnsweredBeforeInitializeAsTheBridgeOffersThem() {
        holds("lists");
    }

    @Test
    void callsBeforeInitializeAndBadInitArgsGetTheSpecificationsReturnValues() {
        holds("lifecycle");
    }

    @Test
    void lengthQueryAndBufferTooSmallKeepTheOperationWhileARefusedArgumentEndsIt() {
        holds("two-call");
    }

    @Test
    void getAttributeValueProcessesEveryAttributeAndFillsANestedWrapTemplate() {
        holds("attributes");
    }

    /** PKCS#11 5.4 (C_Initialize) on fork: the child starts its own client; the parent keeps its session. */
    @Test
    void aForkedChildIsNotInitializedUntilItsOwnInitializeAndTheParentKeepsWorking() {
        holds("fork");
    }

    /** Many threads of one application share its connection; each gets its own answers. */
    @Test
    void threadsSigningAtOnceEachGetTheirOwnMacs() {
        holds("threads");
    }

    @Test
    void messageGcmCopiesTheGeneratedIvAndTagBackIntoTheCallersParams() {
        holds("message-gcm");
    }

    @Test
    void rsaPkcsAndPssSignaturesVerifyWithOpensslAndOaepDecryptsOpensslsCiphertext() {
        holds("rsa");
    }

    @Test
    void ecdsaVerifiesWithOpensslAndEcdhDerivesOpensslsSecret() {
        holds("ec");
    }

    @Test
    void hkdfAndSp800108WithAnAdditionalKeyDeriveOpensslsBytes() {
        holds("kdf");
    }

    /** CloudHSM's pkcs11-mechanisms.html: the HSM generates the AES-GCM IV and writes it into the caller's pIv. */
    @Test
    void cloudHsmTokenWritesTheGcmIvIntoTheCallersParams() {
        profile("cloudhsm");
        try {
            holds("gcm");
        } finally {
            profile("pkcs11");
        }
    }

    private static void profile(String name) {
        hsm.jhsm("hsm", "set-profile", name, "--login", NetworkHsmFixture.pin("admin", NetworkHsmFixture.ADMIN_PASSWORD),
                "--login-role", "admin").run().assertOk("jhsm hsm set-profile " + name);
    }
}
