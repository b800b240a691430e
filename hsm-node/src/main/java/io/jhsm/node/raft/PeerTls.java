package io.jhsm.node.raft;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Mutual TLS between the HSMs of a cluster: each presents its peer certificate ({@value #KEY} +
 * {@value #CERTIFICATE} in its directory) and accepts only peers whose certificate the cluster's peer CA
 * ({@value #CA}, in the HSM's directory or the cluster directory above it) issued. The certificates name
 * the loopback host (IP 127.0.0.1 / localhost) the peers dial, since gRPC checks the server's name.
 */
public final class PeerTls {
    public static final String KEY = "peer.key";
    public static final String CERTIFICATE = "peer.crt";
    public static final String CA = "peer-ca.crt";

    private PeerTls() {}

    /** The TLS configuration for this HSM's Raft server and clients. */
    public static GrpcTlsConfig load(Path nodeDirectory) {
        Path key = nodeDirectory.resolve(KEY);
        Path cert = nodeDirectory.resolve(CERTIFICATE);
        Path ca = nodeDirectory.resolve(CA);
        if (!Files.exists(ca) && nodeDirectory.toAbsolutePath().getParent() != null) {
            ca = nodeDirectory.toAbsolutePath().getParent().resolve(CA);
        }
        for (Path p : new Path[] {key, cert, ca}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " is missing: a cluster member needs its peer key and certificate"
                        + " and the cluster's peer CA (jhsm cluster up / the supervisor provisions them)");
            }
        }
        return new GrpcTlsConfig(privateKey(key), certificate(cert), certificate(ca), true);
    }

    private static PrivateKey privateKey(Path file) {
        try (Reader r = Files.newBufferedReader(file); PEMParser pem = new PEMParser(r)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return c.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return c.getKeyPair(pair).getPrivate();
            }
            throw new IllegalStateException(file + " holds no PEM private key (PKCS#8 or EC/RSA PRIVATE KEY)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the peer key " + file + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(Path file) {
        try (Reader r = Files.newBufferedReader(file); PEMParser pem = new PEMParser(r)) {
            if (pem.readObject() instanceof X509CertificateHolder h) {
                return new JcaX509CertificateConverter().getCertificate(h);
            }
            throw new IllegalStateException(file + " holds no PEM certificate");
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot read the certificate " + file + ": " + e.getMessage(), e);
        }
    }
}
