package io.jhsm.node;

import io.jhsm.engine.cloudhsm.Cluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Who the node is on TLS: the cluster's HSM identity key (kept by the engine in the token directory, PKCS#8
 * as {@code cluster create} wrote it) and the certificate for it: the customer-signed one once the cluster
 * is initialized, before that a self-signed bootstrap certificate, written to {@value #BOOTSTRAP} in the
 * node's directory so an operator can trust it for the management path. Both are looked up per handshake,
 * so {@code cluster initialize} switches certificates without a restart.
 */
final class NodeIdentity {
    static final String BOOTSTRAP = "hsm-bootstrap.crt";
    private static final Duration BOOTSTRAP_VALIDITY = Duration.ofDays(3650);

    /** A key with the chain that goes with it. */
    record Credentials(PrivateKey key, X509Certificate[] chain) {}

    private record Loaded(String publicKey, PrivateKey key, X509Certificate bootstrap) {}

    private record Signed(String pem, X509Certificate certificate) {}

    private final Path nodeDirectory;
    private final ClusterView cluster;
    private volatile Loaded loaded;
    private volatile Signed signed;

    NodeIdentity(Path nodeDirectory, ClusterView cluster) {
        this.nodeDirectory = nodeDirectory;
        this.cluster = cluster;
    }

    /** The key and certificate to present now. */
    Credentials current() {
        Loaded l = key();
        String pem = cluster.certificatePem();
        if (pem == null) {
            return new Credentials(l.key(), new X509Certificate[] {l.bootstrap()});
        }
        Signed s = signed;
        if (s == null || !s.pem().equals(pem)) {
            s = new Signed(pem, parse(pem));
            signed = s;
        }
        return new Credentials(l.key(), new X509Certificate[] {s.certificate()});
    }

    Path bootstrapFile() {
        return nodeDirectory.resolve(BOOTSTRAP);
    }

    /** The identity key, loaded again when the cluster was re-created (zeroize, then create) with a new one. */
    private Loaded key() {
        String spki = cluster.hsmPublicKey();
        Loaded l = loaded;
        if (l != null && (spki == null || l.publicKey().equals(spki))) {
            return l;
        }
        if (spki == null) {
            throw new IllegalStateException(cluster.tokenDirectory() + " holds no cluster: the node has no identity key");
        }
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(spki)));
            byte[] pkcs8 = Files.readAllBytes(cluster.tokenDirectory().resolve(Cluster.HSM_KEY));
            PrivateKey key;
            try {
                key = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
            l = new Loaded(spki, key, bootstrap(pub, key));
            loaded = l;
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the HSM identity key in " + cluster.tokenDirectory(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the HSM identity key in " + cluster.tokenDirectory() + " is damaged: " + e.getMessage(), e);
        }
    }

    /** The bootstrap certificate on disk when it is for this key and valid a while longer; a new one otherwise. */
    private X509Certificate bootstrap(PublicKey pub, PrivateKey key) throws IOException {
        Path file = bootstrapFile();
        if (Files.exists(file)) {
            try {
                X509Certificate c = parse(Files.readString(file));
                if (c.getPublicKey().equals(pub) && c.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(1)))) {
                    return c;
                }
            } catch (IllegalStateException e) {
                // unreadable: replaced below
            }
        }
        X509Certificate c = selfSigned(pub, key);
        Files.createDirectories(nodeDirectory);
        Path tmp = file.resolveSibling(BOOTSTRAP + ".tmp");
        Files.writeString(tmp, pem(c));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return c;
    }

    private X509Certificate selfSigned(PublicKey pub, PrivateKey key) {
        X500Name name = new X500Name("CN=HSM:" + cluster.clusterId() + ":PARTN:0,OU=bootstrap,O=jhsm simulated CloudHSM");
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(BOOTSTRAP_VALIDITY)), name, pub)
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot make the bootstrap certificate: " + e.getMessage(), e);
        }
    }

    static X509Certificate parse(String pem) {
        try (InputStream in = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("not a PEM X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** A certificate (or any object Bouncy Castle's PEM writer knows) as PEM. */
    static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
