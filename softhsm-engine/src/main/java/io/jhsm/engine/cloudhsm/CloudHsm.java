package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import io.jhsm.engine.store.Pbkdf2PinVerifier;
import io.jhsm.engine.store.TokenStores;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The CloudHSM management path over one token directory: what the CLI drives for clusters, users,
 * quorum, audit and backups. It opens the same store PKCS#11 applications use (several processes
 * may share it), so changes made here are seen by running applications and vice versa.
 */
public final class CloudHsm implements AutoCloseable {
    private final Path directory;
    private final Token token;
    private final StateFile state;
    private final AuditLog audit;
    private final long session = ProcessHandle.current().pid();
    private Principal principal;

    private CloudHsm(Path directory) {
        this.directory = directory;
        this.token = new Token(0, TokenStores.open(directory), new Pbkdf2PinVerifier(), KeyPolicy::visible);
        this.token.useKeyPolicy(io.jhsm.engine.token.KeyPolicySetting.read(directory));
        this.state = new StateFile(directory);
        this.audit = new AuditLog(directory, token.store());
    }

    public static CloudHsm open(Path tokenDirectory) {
        return new CloudHsm(tokenDirectory);
    }

    public Path directory() {
        return directory;
    }

    public Token token() {
        return token;
    }

    public StateFile state() {
        return state;
    }

    public AuditLog auditLog() {
        return audit;
    }

    public Cluster cluster() {
        return new Cluster(this);
    }

    public Users users() {
        return new Users(this);
    }

    public ClientTrustAnchors clientTrustAnchors() {
        return new ClientTrustAnchors(this);
    }

    public Quorum quorum() {
        return new Quorum(this);
    }

    public Principal principal() {
        if (principal == null) {
            throw new HsmException(Code.NOT_AUTHENTICATED, "log in first (--username, --role, --password or CLOUDHSM_PIN)");
        }
        return principal;
    }

    /** Logs a user in with the lockout rule (5 failures lock until an admin resets the password). Audited either way. */
    public Principal login(String name, Role role, String password) {
        boolean activated = ClusterState.of(directory) == ClusterState.ACTIVE;
        if (role == Role.APPLIANCE) {
            throw refuse("CN_LOGIN", name, new HsmException(Code.FORBIDDEN, "the appliance user cannot log in"));
        }
        if ((role == Role.UNACTIVATED_ADMIN) == activated && role != Role.CRYPTO_USER) {
            String why = activated ? "the cluster is activated: log in as admin"
                    : "the cluster is not activated: log in as unactivated-admin (admin/password) and run 'cluster activate'";
            throw refuse("CN_LOGIN", name, new HsmException(Code.STATE, why));
        }
        if (!token.initialized()) {
            throw refuse("CN_LOGIN", name, new HsmException(Code.STATE, "the token is not initialised"));
        }
        try {
            token.authenticate(name, role.stored(), password.getBytes(StandardCharsets.UTF_8));
        } catch (CkException e) {
            Code code = e.rv() == CKR.PIN_LOCKED ? Code.LOCKED : Code.NOT_AUTHENTICATED;
            String why = e.rv() == CKR.PIN_LOCKED ? name + " is locked after too many failed logins; an admin must reset its password"
                    : "wrong user name, role or password";
            throw refuse("CN_LOGIN", name, new HsmException(code, why, e.rv(), e));
        }
        principal = new Principal(name, role);
        audit("CN_LOGIN", name, 0, List.of(), role.cliName());
        return principal;
    }

    /** Records a refusal and returns it for throwing. */
    HsmException refuse(String opcode, String user, HsmException e) {
        audit(opcode, user, e.rv(), List.of(), e.getMessage());
        return e;
    }

    public void audit(String opcode, String user, long rv, List<Long> keys, String detail) {
        String who = user != null ? user : principal != null ? principal.name() : "";
        audit.append(AuditEvent.mgmt(opcode, session, rv, who, keys, detail));
    }

    /** Runs a management change whose record commits with it (see {@link AuditedChange}); a refusal is recorded with its reason. */
    public void audited(String opcode, String detail, Runnable change) {
        String who = principal != null ? principal.name() : "";
        AuditedChange.run(audit, token.store(), true, (rv, keys, failure) -> AuditEvent.mgmt(opcode, session, rv, who, keys,
                failure instanceof HsmException ? failure.getMessage() : detail), () -> {
                    change.run();
                    return new long[0];
                });
    }

    @Override
    public void close() {
        audit.close();
        token.close();
    }
}
