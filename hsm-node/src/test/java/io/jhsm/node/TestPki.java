package io.jhsm.node;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** Certificates for the tests, made with Bouncy Castle: a customer CA, HSM certificates from a CSR, client certificates. */
final class TestPki {
    record Issued(KeyPair key, X509Certificate certificate) {
        String pem() {
            return TestPki.pem(certificate);
        }

        Path write(Path file) throws IOException {
            Files.writeString(file, pem());
            return file;
        }

        Path writeKey(Path file) throws IOException {
            Files.writeString(file, TestPki.pem(new JcaPKCS8Generator(key.getPrivate(), null)));
            return file;
        }
    }

    private TestPki() {}

    static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(algorithm.equals("EC") ? 256 : 2048);
        return g.generateKeyPair();
    }

    static Issued ca(String name) throws Exception {
        KeyPair k = keyPair("EC");
        X500Name n = new X500Name("CN=" + name);
        return new Issued(k, sign(n, k.getPublic(), n, k, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(30)), true));
    }

    /** The HSM certificate for the cluster's CSR, valid from {@code notBefore} to {@code notAfter}. */
    static Issued hsmCertificate(String csrPem, Issued ca, Instant notBefore, Instant notAfter) throws Exception {
        PKCS10CertificationRequest csr;
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            csr = (PKCS10CertificationRequest) p.readObject();
        }
        PublicKey pub = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        return new Issued(null, sign(csr.getSubject(), pub, new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                ca.key(), notBefore, notAfter, false));
    }

    static Issued client(String name, Issued ca) throws Exception {
        KeyPair k = keyPair("EC");
        return new Issued(k, sign(new X500Name("CN=" + name), k.getPublic(),
                new X500Name(ca.certificate().getSubjectX500Principal().getName()), ca.key(),
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)), false));
    }

    private static X509Certificate sign(X500Name subject, PublicKey pub, X500Name issuer, KeyPair issuerKey,
                                        Instant notBefore, Instant notAfter, boolean isCa) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(notBefore), Date.from(notAfter), subject, pub);
        if (isCa) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        String alg = issuerKey.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey.getPrivate())));
    }

    static String pem(Object o) {
        return NodeIdentity.pem(o);
    }
}
