package io.jhsm.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's internal peer CA: the HSMs' Raft links use mutual TLS with certificates it issued, and accept
 * only those. {@code cluster up} creates it (DIR/peer-ca.key 0600, DIR/peer-ca.crt 0644); it issues each HSM
 * its peer.key (0600) and peer.crt, naming 127.0.0.1 and localhost, the loopback host the peers dial. The
 * supervisor and {@code cluster add-hsm} issue a new HSM's certificate with it.
 */
final class PeerCa {
    static final String KEY = "peer-ca.key";
    static final String CERTIFICATE = "peer-ca.crt";
    static final String PEER_KEY = "peer.key";
    static final String PEER_CERTIFICATE = "peer.crt";

    private final PrivateKey key;
    private final X509CertificateHolder certificate;

    private PeerCa(PrivateKey key, X509CertificateHolder certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new CA for the cluster in DIR, written there. */
    static PeerCa create(Path dir, String clusterName) {
        try {
            KeyPair key = ecKey();
            X500Name name = new X500Name("CN=jhsm peer CA " + clusterName);
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, Pem.serial(), Pem.notBefore(), Pem.notAfter(), name,
                    key.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            writeSecret(dir.resolve(KEY), pkcs8(key.getPrivate()));
            Files.writeString(dir.resolve(CERTIFICATE), Pem.of(cert));
            return new PeerCa(key.getPrivate(), cert);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the cluster's peer CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The cluster's CA as cluster up left it in DIR. */
    static PeerCa load(Path dir) {
        try (Reader kr = Files.newBufferedReader(dir.resolve(KEY)); PEMParser k = new PEMParser(kr);
             Reader cr = Files.newBufferedReader(dir.resolve(CERTIFICATE)); PEMParser c = new PEMParser(cr)) {
            if (!(k.readObject() instanceof PrivateKeyInfo info)) {
                throw new IllegalStateException(dir.resolve(KEY) + " holds no PKCS#8 private key");
            }
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info);
            if (!(c.readObject() instanceof X509CertificateHolder cert)) {
                throw new IllegalStateException(dir.resolve(CERTIFICATE) + " holds no certificate");
            }
            return new PeerCa(key, cert);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster's peer CA in " + dir + " (" + e.getMessage()
                    + "): it was made by jhsm cluster up", e);
        }
    }

    /** Issues the HSM in nodeDir its peer key and certificate (CN = its HSM id) and copies the CA certificate beside them. */
    void issue(Path nodeDir, String hsmId) {
        try {
            KeyPair peer = ecKey();
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(certificate.getSubject(), Pem.serial(), Pem.notBefore(),
                    Pem.notAfter(), new X500Name("CN=" + hsmId), peer.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
            Files.createDirectories(nodeDir);
            writeSecret(nodeDir.resolve(PEER_KEY), pkcs8(peer.getPrivate()));
            Files.writeString(nodeDir.resolve(PEER_CERTIFICATE), Pem.of(cert));
            Files.writeString(nodeDir.resolve(CERTIFICATE), Pem.of(certificate));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue " + hsmId + "'s peer certificate in " + nodeDir + ": " + e.getMessage(), e);
        }
    }

    X509CertificateHolder certificate() {
        return certificate;
    }

    /** PEM "PRIVATE KEY" (PKCS#8, unencrypted: the file's mode protects it, as the HSM's own keys). */
    private static String pkcs8(PrivateKey k) {
        try {
            return Pem.of(new JcaPKCS8Generator(k, null).generate());
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode a private key: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A file only its owner reads, created so (never readable by others, even for a moment). */
    static void writeSecret(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
