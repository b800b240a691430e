package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import io.jhsm.engine.object.HsmObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Quorum (M of N) authentication with CloudHSM's token-sign strategy. Users register an RSA-2048
 * public key; a user wanting a quorum-protected service generates a token (32 random-looking bytes,
 * the SHA-256 of what the HSM keeps about it); approvers sign those bytes outside the HSM
 * ({@code openssl pkeyutl -sign -pkeyopt digest:sha256}); the operation runs with the token file
 * holding M approvals. Tokens are single-use and expire after ten minutes.
 */
public final class Quorum {
    public static final String SERVICE_USER = "user";
    public static final String SERVICE_QUORUM = "quorum";
    public static final String SERVICE_KEY_MANAGEMENT = "key-management";
    public static final String SERVICE_KEY_USAGE = "key-usage";
    static final String REGISTRATION = "registration";
    static final List<String> ADMIN_SERVICES = List.of(SERVICE_USER, SERVICE_QUORUM);
    public static final String KEY_PREFIX = "quorum.key.";
    static final String VALUE_PREFIX = "quorum.value.";
    static final String TOKEN_PREFIX = "quorum.token.";
    public static final Duration TTL = Duration.ofMinutes(10);
    public static final int MAX_M = 8;

    /** A quorum token file with its approvals, as given with {@code --approval}; null means none given. */
    public record Approval(Map<String, Object> file) {
        public static Approval read(Path path) {
            if (path == null) {
                return null;
            }
            try {
                return new Approval(Json.readObject(Files.readString(path)));
            } catch (IOException | IllegalArgumentException e) {
                throw new HsmException(Code.BAD_INPUT, "cannot read the quorum token file " + path + ": " + e.getMessage());
            }
        }
    }

    private final CloudHsm hsm;

    Quorum(CloudHsm hsm) {
        this.hsm = hsm;
    }

    public int value(String service) {
        return Integer.parseInt(hsm.state().read().getProperty(VALUE_PREFIX + service, "1"));
    }

    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String s : ADMIN_SERVICES) {
            m.put(s, (long) value(s));
        }
        return m;
    }

    /** Admin: sets M for an admin service; changing it needs the quorum service's own approval when that is on. */
    public void setValue(String service, int m, Approval approval) {
        audited("CN_SET_M_VALUE", service + "=" + m, () -> {
            hsm.principal().require(Role.ADMIN, "quorum token-sign set-quorum-value");
            if (!ADMIN_SERVICES.contains(service)) {
                throw new HsmException(Code.BAD_INPUT, "quorum values are set for services " + ADMIN_SERVICES);
            }
            if (m < 1 || m > MAX_M) {
                throw new HsmException(Code.BAD_INPUT, "a quorum value is 1 (off) to " + MAX_M);
            }
            consume(SERVICE_QUORUM, null, approval);
            hsm.state().update(p -> p.setProperty(VALUE_PREFIX + service, Integer.toString(m)));
        });
    }

    /** The logged-in user registers its approval key, proving possession by signing a registration token. */
    public void registerKey(String publicKeyPem, Approval signedRegistration) {
        audited("CN_REGISTER_QUORUM_PUBKEY", "", () -> {
            Principal p = hsm.principal();
            byte[] spki = QuorumSignatures.publicKey(publicKeyPem);
            Map<String, String> token = token(signedRegistration, REGISTRATION, null);
            if (!QuorumSignatures.verify(spki, Base64.getDecoder().decode(token.get("unsigned")), signatureOf(signedRegistration, p.name()))) {
                throw new HsmException(Code.QUORUM, "the registration token is not signed by that key");
            }
            hsm.state().update(q -> {
                q.remove(TOKEN_PREFIX + token.get("id"));
                q.setProperty(KEY_PREFIX + p.name(), Base64.getEncoder().encodeToString(spki));
            });
        });
    }

    /** A new token for a service (and, for key services, a key); returns the token file to hand to approvers. */
    public Map<String, Object> generate(String service, Long keyHandle) {
        Map<String, Object> file = new LinkedHashMap<>();
        audited("CN_TOKEN_GEN", service, () -> {
            Principal p = hsm.principal();
            boolean keyService = SERVICE_KEY_MANAGEMENT.equals(service) || SERVICE_KEY_USAGE.equals(service);
            if (!keyService && !ADMIN_SERVICES.contains(service) && !REGISTRATION.equals(service)) {
                throw new HsmException(Code.BAD_INPUT, "unknown service " + service);
            }
            if (keyService != (keyHandle != null)) {
                throw new HsmException(Code.BAD_INPUT, keyService ? "key services need --key" : "only key services take --key");
            }
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            String id = HexFormat.of().formatHex(nonce);
            long expires = System.currentTimeMillis() + TTL.toMillis();
            String described = String.join("|", "jhsm-quorum-token", id, service, p.name(),
                    String.valueOf(keyHandle == null ? 0 : keyHandle), Long.toString(expires));
            byte[] unsigned = sha256(described);
            hsm.state().update(q -> {
                if (ADMIN_SERVICES.contains(service)) {
                    // CloudHSM keeps one token per user per admin service: a new one replaces the old.
                    q.stringPropertyNames().stream().filter(k -> k.startsWith(TOKEN_PREFIX)
                            && q.getProperty(k).startsWith(service + "|" + p.name() + "|")).toList().forEach(q::remove);
                }
                q.setProperty(TOKEN_PREFIX + id, String.join("|", service, p.name(),
                        String.valueOf(keyHandle == null ? 0 : keyHandle), Long.toString(expires),
                        Base64.getEncoder().encodeToString(unsigned)));
            });
            file.put("version", "2.0");
            file.put("service", service);
            file.put("tokens", List.of(Map.of("approval_data", id, "unsigned", Base64.getEncoder().encodeToString(unsigned), "signed", "")));
            file.put("approvals", new ArrayList<>());
        });
        return file;
    }

    public List<Map<String, Object>> list() {
        hsm.principal();
        List<Map<String, Object>> out = new ArrayList<>();
        Properties q = hsm.state().read();
        for (String k : q.stringPropertyNames()) {
            if (k.startsWith(TOKEN_PREFIX)) {
                String[] f = q.getProperty(k).split("\\|");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", k.substring(TOKEN_PREFIX.length()));
                m.put("service", f[0]);
                m.put("username", f[1]);
                m.put("key", Long.parseLong(f[2]));
                m.put("expires-ms", Long.parseLong(f[3]));
                m.put("expired", Long.parseLong(f[3]) < System.currentTimeMillis());
                out.add(m);
            }
        }
        return out;
    }

    public void delete(String id) {
        audited("CN_TOKEN_DELETE", id, () -> {
            Principal p = hsm.principal();
            String v = hsm.state().read().getProperty(TOKEN_PREFIX + id);
            if (v == null) {
                throw new HsmException(Code.NOT_FOUND, "no quorum token " + id);
            }
            if (!v.split("\\|")[1].equals(p.name()) && p.role() != Role.ADMIN) {
                throw new HsmException(Code.FORBIDDEN, "only the token's user or an admin deletes it");
            }
            hsm.state().update(q -> q.remove(TOKEN_PREFIX + id));
        });
    }

    /** An admin service: nothing to do while M is 1; else the approval must carry M valid signatures. */
    void consume(String service, HsmObject key, Approval approval) {
        int m = key == null ? value(service) : (int) key.ulongOr(SERVICE_KEY_USAGE.equals(service)
                ? io.jhsm.engine.object.JhsmAttributes.USE_QUORUM : io.jhsm.engine.object.JhsmAttributes.MANAGE_QUORUM, 0);
        if (m <= 1) {
            return;
        }
        if (approval == null) {
            throw new HsmException(Code.QUORUM, "Quorum approval is required for this operation (" + service + ", M=" + m + ")");
        }
        Map<String, String> token = token(approval, service, key == null ? null : key.handle());
        byte[] unsigned = Base64.getDecoder().decode(token.get("unsigned"));
        int valid = QuorumSignatures.count(approval, unsigned, hsm.state().read());
        if (valid < m) {
            throw new HsmException(Code.QUORUM, "the token has " + valid + " valid approvals; " + m + " are needed");
        }
        hsm.state().update(q -> {
            if (q.remove(TOKEN_PREFIX + token.get("id")) == null) {
                throw new HsmException(Code.QUORUM, "the quorum token was used already");
            }
        });
        if (key != null) {
            QuorumGrants.grant(key, service);
        }
        hsm.audit("CN_APPROVE_TOKEN", null, 0, key == null ? List.of() : List.of(key.handle()), service);
    }

    /** A key service for the CLI: checks the approval and grants the engine one operation. */
    public void approveKey(String service, HsmObject key, Approval approval) {
        try {
            consume(service, key, approval);
        } catch (HsmException e) {
            throw hsm.refuse("CN_APPROVE_TOKEN", null, e);
        }
    }

    /** The token the file names, checked: known, this user's, this service (and key), not expired. */
    private Map<String, String> token(Approval approval, String service, Long keyHandle) {
        if (approval == null) {
            throw new HsmException(Code.QUORUM, "no quorum token given");
        }
        Object tokens = approval.file().get("tokens");
        if (!(tokens instanceof List<?> l) || l.isEmpty() || !(l.get(0) instanceof Map<?, ?> t)) {
            throw new HsmException(Code.BAD_INPUT, "the quorum token file has no token");
        }
        String id = String.valueOf(t.get("approval_data"));
        String stored = hsm.state().read().getProperty(TOKEN_PREFIX + id);
        if (stored == null) {
            throw new HsmException(Code.QUORUM, "unknown, used or deleted quorum token " + id);
        }
        String[] f = stored.split("\\|");
        if (!f[1].equals(hsm.principal().name())) {
            throw new HsmException(Code.QUORUM, "the quorum token belongs to " + f[1]);
        }
        if (!f[0].equals(service) || keyHandle != null && Long.parseLong(f[2]) != keyHandle) {
            throw new HsmException(Code.QUORUM, "the quorum token is for " + f[0] + (keyHandle == null ? "" : " key " + f[2]));
        }
        if (Long.parseLong(f[3]) < System.currentTimeMillis()) {
            throw new HsmException(Code.QUORUM, "the quorum token expired");
        }
        if (!f[4].equals(String.valueOf(t.get("unsigned")))) {
            throw new HsmException(Code.QUORUM, "the quorum token file was altered (its unsigned token differs)");
        }
        return Map.of("id", id, "unsigned", f[4]);
    }

    private static byte[] signatureOf(Approval approval, String user) {
        return QuorumSignatures.signatures(approval).getOrDefault(user, new byte[0]);
    }

    private void audited(String opcode, String detail, Runnable body) {
        try {
            body.run();
        } catch (HsmException e) {
            throw hsm.refuse(opcode, null, e);
        }
        hsm.audit(opcode, null, 0, List.of(), detail);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
