package io.jhsm.cli;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The throw-away customer CA of {@code cluster up --quick-start}: what the AWS guide makes with openssl
 * (a self-signed CA certificate that becomes the trust anchor, and the HSM's CSR signed by it), made in
 * memory. Its private key is never written anywhere: nothing else is ever signed with it.
 */
final class CustomerCa {
    private final KeyPair key;
    private final X509CertificateHolder certificate;

    private CustomerCa(KeyPair key, X509CertificateHolder certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    static CustomerCa create(String commonName) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair key = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, Pem.serial(), Pem.notBefore(), Pem.notAfter(), name, key.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new CustomerCa(key, b.build(signer(key)));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the quick-start customer CA: " + e.getMessage(), e);
        }
    }

    /** The HSM certificate for a CSR (PEM), signed by this CA, as `openssl x509 -req -CA …` in the AWS guide. */
    String sign(String csrPem) {
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            if (!(p.readObject() instanceof PKCS10CertificationRequest csr)) {
                throw new IllegalArgumentException("the HSM's CSR is not a PEM certification request");
            }
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(certificate.getSubject(), Pem.serial(), Pem.notBefore(), Pem.notAfter(),
                    csr.getSubject(), csr.getSubjectPublicKeyInfo())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return Pem.of(b.build(signer(key)));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the HSM's CSR: " + e.getMessage(), e);
        }
    }

    String certificatePem() {
        return Pem.of(certificate);
    }

    private static ContentSigner signer(KeyPair key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate());
    }
}
