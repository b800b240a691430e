package io.jhsm.node.raft;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A cluster's peer CA and the peer certificates it issues (what cluster up provisions), for the tests. */
final class PeerPki {
    private final KeyPair caKey;
    private final X509Certificate ca;

    PeerPki() throws Exception {
        caKey = ec();
        X500Name name = new X500Name("CN=test peer CA");
        ca = sign(name, caKey, name, caKey, true);
    }

    /** Writes peer.key, peer.crt and peer-ca.crt into an HSM's directory. */
    void provision(Path hsmDirectory, String hsmId) throws Exception {
        Files.createDirectories(hsmDirectory);
        KeyPair k = ec();
        X509Certificate cert = sign(new X500Name("CN=" + hsmId), k, new X500Name("CN=test peer CA"), caKey, false);
        Files.writeString(hsmDirectory.resolve(PeerTls.KEY), pem(new JcaPKCS8Generator(k.getPrivate(), null)));
        Files.writeString(hsmDirectory.resolve(PeerTls.CERTIFICATE), pem(cert));
        Files.writeString(hsmDirectory.resolve(PeerTls.CA), pem(ca));
    }

    /** A peer certificate from another CA: the cluster must refuse it. */
    static void provisionForeign(Path hsmDirectory, String hsmId) throws Exception {
        new PeerPki().provision(hsmDirectory, hsmId);
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey, boolean isCa)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(30))),
                subject, subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!isCa) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
