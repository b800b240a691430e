package io.jhsm.engine;

import io.jhsm.engine.cloudhsm.CloudHsm;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** A CloudHSM cluster in slot 0 of a test directory, created and initialised the way its owner would. */
final class ClusterFixture {
    private ClusterFixture() {}

    /** Creates slot 0's cluster under {@code dir} and initialises it with a CA made here (or a certificate for another key). */
    static void initialise(Path dir, boolean signWithOtherKey) throws Exception {
        try (CloudHsm hsm = CloudHsm.open(dir.resolve("slot-0"))) {
            Path csr = hsm.cluster().create(dir);
            KeyPair ca = rsa();
            X500Name caName = new X500Name("CN=test CA");
            String anchor = pem(new X509v1CertificateBuilder(caName, BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 86_400_000L),
                    caName, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ca.getPublic().getEncoded()))
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.getPrivate())));
            PKCS10CertificationRequest req = (PKCS10CertificationRequest) new PEMParser(new StringReader(Files.readString(csr))).readObject();
            var spki = signWithOtherKey ? org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(rsa().getPublic().getEncoded())
                    : req.getSubjectPublicKeyInfo();
            String cert = pem(new X509v1CertificateBuilder(caName, BigInteger.TWO, new Date(), new Date(System.currentTimeMillis() + 86_400_000L),
                    req.getSubject(), spki).build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.getPrivate())));
            hsm.cluster().initialize(cert, anchor);
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

}
