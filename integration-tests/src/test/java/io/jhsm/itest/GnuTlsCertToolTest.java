package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GnuTLS's certtool and p11tool loading the module directly (--provider), addressing objects by RFC 7512 URI
 * and taking the PIN from GNUTLS_PIN. Certificates they sign on the token are verified by OpenSSL.
 * The token is a fresh local one here; {@link NativeClientGnuTlsTest} runs the same checks against a node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GnuTlsCertToolTest {
    @TempDir static Path dir;
    ConsumerToken token;
    Path template;

    /** The token the tools load: a fresh local token of the module under test. */
    ConsumerToken openToken() {
        return TokenFixture.initialised(dir);
    }

    @BeforeAll
    void tokenWithAnRsaAndAnEcKey() {
        token = openToken();
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01")
                .run().assertOk("RSA-2048 key pair generation");
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02")
                .run().assertOk("EC P-256 key pair generation");
        template = Files2.write(token.file("cert.tmpl"), String.join("\n",
                "cn = \"gnutls-test\"", "serial = 7", "expiration_days = 30", "ca", "cert_signing_key", "")
                .getBytes());
    }

    /** A GnuTLS tool bound to the module under test, with the user PIN in its environment. */
    Cmd gnutls(String tool, String... args) {
        return token.cmd(tool, "--provider", token.module().toString()).args(args)
                .env("GNUTLS_PIN", token.userPin());
    }

    String uri(String label, String type) {
        return "pkcs11:token=" + token.label() + ";object=" + label + ";type=" + type;
    }

    /** The token's public key for {@code label}, as PEM text from OpenSSL. */
    String tokenPublicKeyPem(String label) {
        Path der = token.file(label + ".pub.der");
        token.asUser("--read-object", "--type", "pubkey", "--label", label, "-o", der.toString())
                .run().assertOk("read public key " + label);
        return Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString())
                .run().assertOk("openssl reads public key " + label).output();
    }

    Path selfSigned(String label) {
        Path cert = token.file(label + ".crt");
        gnutls("certtool", "--generate-self-signed", "--load-privkey", uri(label, "private"),
                "--load-pubkey", uri(label, "public"), "--template", template.toString(),
                "--outfile", cert.toString()).run().assertOk("certtool --generate-self-signed with " + label);
        return cert;
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"rsa", "ec"})
    void selfSignedCertificateSignedOnTheTokenVerifiesWithOpenssl(String label) {
        Path cert = selfSigned(label);
        Cmd.of("openssl", "verify", "-CAfile", cert.toString(), cert.toString()).run()
                .assertOk("openssl verifies the self-signed certificate").assertOutputContains(": OK", "verify");
        String inCert = Cmd.of("openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey")
                .run().assertOk("openssl x509 -pubkey").output();
        assertEquals(tokenPublicKeyPem(label), inCert, "the certificate certifies the token's key");
    }

    @Test
    void p11toolListsTheSignatureAndKeyGenerationMechanisms() {
        gnutls("p11tool", "--list-mechanisms", "pkcs11:token=" + token.label()).run()
                .assertOk("p11tool --list-mechanisms")
                .assertOutputContains("CKM_RSA_PKCS_KEY_PAIR_GEN", "RSA key generation")
                .assertOutputContains("CKM_RSA_PKCS ", "RSA PKCS#1 v1.5")
                .assertOutputContains("CKM_RSA_PKCS_PSS", "RSA-PSS")
                .assertOutputContains("CKM_ECDSA_KEY_PAIR_GEN", "EC key generation")
                .assertOutputContains("CKM_ECDSA ", "raw ECDSA");
    }

    @Test
    void p11toolGeneratesAnEcdsaKeyWhosePublicHalfItPrintsAndTheTokenHolds() {
        Path pub = token.file("g1.pem");
        gnutls("p11tool", "--login", "--generate-privkey", "ecdsa", "--curve", "secp256r1", "--label", "g1",
                "--outfile", pub.toString(), "pkcs11:token=" + token.label())
                .run().assertOk("p11tool --generate-privkey ecdsa");
        String printed = Cmd.of("openssl", "pkey", "-pubin", "-in", pub.toString())
                .run().assertOk("openssl reads the public key p11tool wrote").output();
        assertEquals(tokenPublicKeyPem("g1"), printed, "p11tool printed the public key stored on the token");
        Path cert = selfSigned("g1");
        Cmd.of("openssl", "verify", "-CAfile", cert.toString(), cert.toString()).run()
                .assertOk("the new key signs a certificate OpenSSL accepts");
    }
}
