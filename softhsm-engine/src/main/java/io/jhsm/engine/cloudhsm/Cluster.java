package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import io.jhsm.engine.store.TokenRecord;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKU;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The cluster lifecycle of CloudHSM: create (a CSR for the owner to sign), initialize (with the
 * signed HSM certificate and the owner's trust anchor), activate (the unactivated admin sets its
 * password). The HSM's identity key is kept in {@value #HSM_KEY} (0600) in the token directory, as
 * a real HSM keeps it in its own secure storage.
 */
public final class Cluster {
    public static final String HSM_KEY = "hsm-identity.key";
    public static final String DEFAULT_ADMIN = "admin";
    public static final String DEFAULT_ADMIN_PASSWORD = "password";
    static final String APPLIANCE_USER = "app_user";

    private final CloudHsm hsm;

    Cluster(CloudHsm hsm) {
        this.hsm = hsm;
    }

    public ClusterState state() {
        return ClusterState.of(hsm.directory());
    }

    public String id() {
        return hsm.state().read().getProperty("cluster.id", "");
    }

    /** A new cluster in this token directory; writes {@code <id>_ClusterCsr.csr} into {@code csrDirectory}. */
    public Path create(Path csrDirectory) {
        boolean zeroized = Boolean.parseBoolean(hsm.state().read().getProperty(Zeroize.ZEROIZED, "false"));
        if (!zeroized && (hsm.state().exists() || hsm.token().initialized())) {
            throw new HsmException(Code.STATE, "this slot already holds a token or cluster; zeroize it first");
        }
        byte[] rnd = new byte[8];
        new SecureRandom().nextBytes(rnd);
        String id = "cluster-" + HexFormat.of().formatHex(rnd);
        KeyPair key = ClusterCertificates.newHsmKey();
        String csr = ClusterCertificates.csr(id, key);
        try {
            Path keyFile = hsm.directory().resolve(HSM_KEY);
            Files.createDirectories(hsm.directory());
            Files.write(keyFile, key.getPrivate().getEncoded());
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.createDirectories(csrDirectory);
            Path out = csrDirectory.resolve(id + "_ClusterCsr.csr");
            Files.writeString(out, csr);
            hsm.state().update(p -> {
                p.clear();
                p.setProperty("cluster.id", id);
                p.setProperty(ClusterState.KEY, ClusterState.UNINITIALIZED.name());
                p.setProperty("cluster.hsm-public-key", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
                p.setProperty("cluster.csr", csr);
            });
            hsm.audit("CN_CLUSTER_CREATE", null, 0, List.of(), id);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cluster's CSR (PEM), as {@code create} wrote it, for the owner's CA to sign. */
    public String csr() {
        String csr = hsm.state().read().getProperty("cluster.csr");
        if (csr == null) {
            throw new HsmException(Code.STATE, "this slot holds no cluster: run jhsm cluster create first");
        }
        return csr;
    }

    /** Accepts the owner-signed HSM certificate and trust anchor; the cluster then has only the unactivated admin. */
    public void initialize(String signedCertificatePem, String trustAnchorPem) {
        if (state() != ClusterState.UNINITIALIZED || !hsm.state().exists()) {
            fail("CN_CLUSTER_INIT", Code.STATE, "the cluster is not waiting for initialization (state " + state() + ")");
        }
        Properties p = hsm.state().read();
        try {
            X509CertificateHolder cert = ClusterCertificates.certificate(signedCertificatePem, "signed HSM certificate");
            X509CertificateHolder anchor = ClusterCertificates.certificate(trustAnchorPem, "trust anchor");
            byte[] spki = Base64.getDecoder().decode(p.getProperty("cluster.hsm-public-key"));
            KeyPair key = ClusterCertificates.decode(Files.readAllBytes(hsm.directory().resolve(HSM_KEY)), spki);
            ClusterCertificates.verify(cert, anchor, key.getPublic());
        } catch (HsmException e) {
            hsm.audit("CN_CLUSTER_INIT", null, e.rv(), List.of(), e.getMessage());
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Token t = hsm.token();
        byte[] appliance = new byte[24];
        new SecureRandom().nextBytes(appliance);
        t.store().initialize(new TokenRecord(id(), id().substring(8)), List.of(
                new UserRecord(DEFAULT_ADMIN, CKU.SO, t.verifier().create(DEFAULT_ADMIN_PASSWORD.getBytes(StandardCharsets.UTF_8)), 0, false),
                new UserRecord(APPLIANCE_USER, Role.APPLIANCE.stored(), t.verifier().create(appliance), 0, false)));
        hsm.state().update(q -> {
            q.setProperty("cluster.certificate", signedCertificatePem);
            q.setProperty("cluster.trust-anchor", trustAnchorPem);
            q.setProperty(ClusterState.KEY, ClusterState.INITIALIZED.name());
        });
        hsm.audit("CN_CLUSTER_INIT", null, 0, List.of(), id());
    }

    /** The unactivated admin (admin/password) sets its own password: the cluster becomes ACTIVE. */
    public void activate(String adminPassword) {
        if (state() != ClusterState.INITIALIZED) {
            fail("CN_CLUSTER_ACTIVATE", Code.STATE, "the cluster is " + state() + ", not waiting for activation");
        }
        hsm.login(DEFAULT_ADMIN, Role.UNACTIVATED_ADMIN, DEFAULT_ADMIN_PASSWORD);
        Passwords.check(adminPassword.getBytes(StandardCharsets.UTF_8));
        Token t = hsm.token();
        if (!t.store().changeVerifier(DEFAULT_ADMIN, t.verifier().create(adminPassword.getBytes(StandardCharsets.UTF_8)), false)) {
            fail("CN_CLUSTER_ACTIVATE", Code.LOCKED, DEFAULT_ADMIN + " was locked before its new password was stored");
        }
        ClusterState.set(hsm.directory(), ClusterState.ACTIVE);
        hsm.audit("CN_CLUSTER_ACTIVATE", DEFAULT_ADMIN, 0, List.of(), id());
    }

    public Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster-id", id());
        m.put("state", state().name());
        m.put("managed", hsm.state().exists());
        m.put("token-initialized", hsm.token().initialized());
        m.put("hsm-certificate", hsm.state().read().getProperty("cluster.certificate", ""));
        return m;
    }

    private void fail(String opcode, Code code, String message) {
        hsm.audit(opcode, null, code.rv, List.of(), message);
        throw new HsmException(code, message);
    }
}
