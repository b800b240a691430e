package io.jhsm.itest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKCS#11 3.2 post-quantum signatures from a consumer that predates them: PyKCS11 generates an ML-DSA-44 key
 * pair on the token and signs; JDK 25's own ML-DSA verifies the signature; pkcs11-tool still lists the token's
 * objects and mechanisms with those keys and mechanisms present.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "SoftHSM 2.6 has no ML-DSA")
class PyKcs11MlDsaTest {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    /** SubjectPublicKeyInfo up to the key: SEQUENCE, AlgorithmIdentifier id-ml-dsa-44, BIT STRING of 1313 bytes. */
    static final String ML_DSA_44_SPKI_PREFIX = "30820532300b0609608648016503040311038205210" + "0";

    @TempDir static Path dir;
    static TokenFixture token;
    static byte[] data;
    static String json;

    @BeforeAll
    static void pythonGeneratesAnMlDsaKeyAndSigns() {
        token = TokenFixture.initialised(dir);
        data = Files2.randomBytes(321);
        Path script = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_mldsa_sign.py");
        Cmd.Result r = token.cmd(PyKcs11Test.PYTHON, script.toString(), token.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN, Files2.hex(data)).run().assertOk("PyKCS11 ML-DSA script");
        Matcher m = Pattern.compile("(?m)^\\{.*\\}$").matcher(r.output());
        if (!m.find()) throw new AssertionError("no JSON line in the script's output:\n" + r.describe());
        json = m.group();
    }

    static String field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([0-9a-f]*)\"").matcher(json);
        if (!m.find()) throw new AssertionError("no \"" + name + "\" in " + json);
        return m.group(1);
    }

    @Test
    void jdk25VerifiesTheSignaturePyKcs11GotFromTheToken() {
        assumeTrue(Files.isExecutable(JDK25), "no JDK 25 at " + JDK25);
        Path helper = ModuleUnderTest.repoRoot().resolve("conformance/src/test/resources/jdk25/Jdk25Pqc.java");
        String publicKey = field("public_key");
        org.junit.jupiter.api.Assertions.assertEquals(1312 * 2, publicKey.length(), "ML-DSA-44 public key");
        Cmd.Result r = Cmd.of(JDK25.toString(), helper.toString(), "verify", "ML-DSA-44", ML_DSA_44_SPKI_PREFIX + publicKey,
                HexFormat.of().formatHex(data), field("signature")).run().assertOk("JDK 25 ML-DSA verification");
        org.junit.jupiter.api.Assertions.assertTrue(r.output().lines().anyMatch("VALID"::equals), "the JDK accepts the signature:\n" + r.describe());
    }

    @Test
    void pkcs11ToolListsObjectsAndMechanismsAlongsidePostQuantumOnes() {
        token.asUser("--list-objects").run().assertOk("pkcs11-tool -O with ML-DSA keys on the token")
                .assertOutputContains("mldsa", "the ML-DSA key objects are listed");
        token.pkcs11Tool("--list-mechanisms").run().assertOk("pkcs11-tool -M with 3.2 mechanisms in the list")
                .assertOutputContains("RSA-PKCS-KEY-PAIR-GEN", "the known mechanisms are still named");
    }
}
