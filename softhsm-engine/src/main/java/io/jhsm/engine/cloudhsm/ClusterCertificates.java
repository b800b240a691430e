package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The X.509 side of cluster initialisation: the HSM's key pair and CSR, and the checks on what the
 * owner returns (the HSM certificate they signed and their trust anchor), done with Bouncy Castle.
 */
final class ClusterCertificates {
    private ClusterCertificates() {}

    static KeyPair newHsmKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String csr(String clusterId, KeyPair hsmKey) {
        try {
            X500Name subject = new X500Name("CN=HSM:" + clusterId + ":PARTN:0,O=jhsm simulated CloudHSM");
            PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(subject, hsmKey.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(hsmKey.getPrivate()));
            return pem(req);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    static X509CertificateHolder certificate(String pem, String what) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof X509CertificateHolder c) {
                return c;
            }
        } catch (IOException | RuntimeException e) {
            throw new HsmException(Code.BAD_INPUT, "the " + what + " is not a PEM X.509 certificate: " + e.getMessage());
        }
        throw new HsmException(Code.BAD_INPUT, "the " + what + " is not a PEM X.509 certificate");
    }

    /** Refuses a certificate that is not the cluster CSR's key signed by the trust anchor, or an anchor that is not a self-signed CA. */
    static void verify(X509CertificateHolder hsmCert, X509CertificateHolder anchor, PublicKey hsmKey) {
        if (!java.util.Arrays.equals(spki(hsmCert), hsmKey.getEncoded())) {
            throw new HsmException(Code.INTEGRITY, "the signed certificate is not for this cluster's CSR (its public key differs)");
        }
        if (!hsmCert.getIssuer().equals(anchor.getSubject()) || !signedBy(hsmCert, anchor)) {
            throw new HsmException(Code.INTEGRITY, "the signed certificate was not issued by the trust anchor");
        }
        if (!anchor.getIssuer().equals(anchor.getSubject()) || !signedBy(anchor, anchor)) {
            throw new HsmException(Code.INTEGRITY, "the trust anchor is not a self-signed certificate");
        }
        Date now = new Date();
        if (!hsmCert.isValidOn(now) || !anchor.isValidOn(now)) {
            throw new HsmException(Code.INTEGRITY, "a certificate is expired or not yet valid");
        }
    }

    private static byte[] spki(X509CertificateHolder c) {
        try {
            return c.getSubjectPublicKeyInfo().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
        try {
            ContentVerifierProvider v = new JcaContentVerifierProviderBuilder().build(issuer);
            return cert.isSignatureValid(v);
        } catch (Exception e) {
            return false;
        }
    }

    static byte[] encode(PrivateKey k) {
        return k.getEncoded();
    }

    static KeyPair decode(byte[] pkcs8, byte[] spki) {
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(spki)), f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
