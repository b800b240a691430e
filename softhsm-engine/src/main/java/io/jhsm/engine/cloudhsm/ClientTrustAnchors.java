package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Mutual TLS between clients and the HSM, as CloudHSM's {@code cluster mtls} commands keep it: up to two
 * registered client trust anchors (EC P-256/P-384/P-521 or RSA 2048/3072/4096 certificates), each with a
 * certificate reference ({@code 0x01}, {@code 0x02}), and an enforcement level ({@code none}: clients need
 * no certificate; {@code cluster}: every connection must present one issued by a registered anchor).
 * Registering, deregistering and enforcement are the admin's, and enforcement needs an anchor (AWS CloudHSM
 * user guide, CloudHSM CLI "cluster mtls" pages). They live in the cluster's state, audited like the
 * other cluster changes; a node applies them to the connections that start afterwards.
 */
public final class ClientTrustAnchors {
    public static final int MAX_ANCHORS = 2;
    static final String PREFIX = "mtls.trust-anchor.";
    static final String ENFORCEMENT = "mtls.enforcement";
    private static final Set<ASN1ObjectIdentifier> CURVES = Set.of(X9ObjectIdentifiers.prime256v1,
            SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);
    private static final Set<Integer> RSA_BITS = Set.of(2048, 3072, 4096);

    /** Whether the cluster demands a client certificate. */
    public enum Enforcement {
        NONE, CLUSTER;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Enforcement parse(String level) {
            for (Enforcement e : values()) {
                if (e.text().equals(level)) {
                    return e;
                }
            }
            throw new HsmException(Code.BAD_INPUT, "unknown mtls enforcement level '" + level + "' (none, cluster)");
        }
    }

    private final CloudHsm hsm;

    ClientTrustAnchors(CloudHsm hsm) {
        this.hsm = hsm;
    }

    /** The registered anchors by certificate reference, in order (read by the node at each handshake). */
    public static Map<String, String> anchors(Properties state) {
        Map<String, String> out = new TreeMap<>();
        for (String k : state.stringPropertyNames()) {
            if (k.startsWith(PREFIX)) {
                out.put(k.substring(PREFIX.length()), state.getProperty(k));
            }
        }
        return out;
    }

    public static Enforcement enforcement(Properties state) {
        return Enforcement.parse(state.getProperty(ENFORCEMENT, Enforcement.NONE.text()));
    }

    /** Admin: registers a client CA certificate; returns it as listed. */
    public Map<String, Object> register(String certificatePem) {
        String[] reference = new String[1];
        hsm.audited("CN_REGISTER_TRUST_ANCHOR", "client trust anchor", () -> {
            hsm.principal().require(Role.ADMIN, "cluster mtls register-trust-anchor");
            checkKeyType(ClusterCertificates.certificate(certificatePem, "trust anchor"));
            hsm.state().update(p -> {
                Map<String, String> present = anchors(p);
                if (present.containsValue(certificatePem)) {
                    throw new HsmException(Code.BAD_INPUT, "this trust anchor is already registered");
                }
                if (present.size() >= MAX_ANCHORS) {
                    throw new HsmException(Code.BAD_INPUT, "at most " + MAX_ANCHORS
                            + " trust anchors can be registered; deregister one first");
                }
                int n = 1;
                while (present.containsKey(reference(n))) {
                    n++;
                }
                reference[0] = reference(n);
                p.setProperty(PREFIX + reference[0], certificatePem);
            });
        });
        return entry(reference[0], certificatePem);
    }

    /** Any user, logged in or not (as CloudHSM's list-trust-anchors). */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        anchors(hsm.state().read()).forEach((ref, pem) -> out.add(entry(ref, pem)));
        return out;
    }

    /** Admin: removes an anchor; never the last one while enforcement is on (no client could connect again). */
    public void deregister(String reference) {
        hsm.audited("CN_DEREGISTER_TRUST_ANCHOR", reference, () -> {
            hsm.principal().require(Role.ADMIN, "cluster mtls deregister-trust-anchor");
            hsm.state().update(p -> {
                Map<String, String> present = anchors(p);
                String ref = normalize(reference);
                if (!present.containsKey(ref)) {
                    throw new HsmException(Code.NOT_FOUND, "no trust anchor with certificate reference " + reference);
                }
                if (present.size() == 1 && enforcement(p) == Enforcement.CLUSTER) {
                    throw new HsmException(Code.STATE, "mtls enforcement is cluster: set it to none before"
                            + " deregistering the last trust anchor");
                }
                p.remove(PREFIX + ref);
            });
        });
    }

    /** Admin or crypto user. */
    public Enforcement enforcement() {
        hsm.principal();
        return enforcement(hsm.state().read());
    }

    /** Admin; {@code cluster} needs at least one registered anchor. Applies to connections made afterwards. */
    public void setEnforcement(Enforcement level) {
        hsm.audited("CN_SET_MTLS_ENFORCEMENT", level.text(), () -> {
            hsm.principal().require(Role.ADMIN, "cluster mtls set-enforcement");
            hsm.state().update(p -> {
                if (level == Enforcement.CLUSTER && anchors(p).isEmpty()) {
                    throw new HsmException(Code.STATE, "register a client trust anchor first"
                            + " (cluster mtls register-trust-anchor): enforcement needs one");
                }
                p.setProperty(ENFORCEMENT, level.text());
            });
        });
    }

    private static Map<String, Object> entry(String reference, String pem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("certificate-reference", reference);
        m.put("certificate", pem);
        m.put("cluster-coverage", "full");
        return m;
    }

    private static String reference(int n) {
        return String.format("0x%02x", n);
    }

    /** "0x1", "0x01", "1" all name the first anchor. */
    private static String normalize(String reference) {
        String r = reference.trim().toLowerCase(Locale.ROOT);
        try {
            return reference(Integer.parseInt(r.startsWith("0x") ? r.substring(2) : r, 16));
        } catch (NumberFormatException e) {
            throw new HsmException(Code.BAD_INPUT, "a certificate reference looks like 0x01, got " + reference);
        }
    }

    private static void checkKeyType(X509CertificateHolder cert) {
        SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve && CURVES.contains(curve)) {
                return;
            }
            throw new HsmException(Code.BAD_INPUT, "a trust anchor's EC key must be on P-256, P-384 or P-521");
        }
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            try {
                BigInteger n = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus();
                if (RSA_BITS.contains(n.bitLength())) {
                    return;
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new HsmException(Code.BAD_INPUT, "the trust anchor's RSA key cannot be read: " + e.getMessage());
            }
            throw new HsmException(Code.BAD_INPUT, "a trust anchor's RSA key must be 2048, 3072 or 4096 bits");
        }
        throw new HsmException(Code.BAD_INPUT, "a trust anchor must have an EC (P-256/P-384/P-521) or RSA key");
    }
}
