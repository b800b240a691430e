package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * CloudHSM user management: admins create and delete users and reset other users' passwords (which
 * also unlocks them); every user changes its own password. Each call is audited, refusals included,
 * and checks everything before it changes anything.
 */
public final class Users {
    private final CloudHsm hsm;

    Users(CloudHsm hsm) {
        this.hsm = hsm;
    }

    public void create(String name, Role role, String password, Quorum.Approval approval) {
        run("CN_CREATE_USER", name, () -> {
            requireActiveAdmin("user create");
            Passwords.checkName(name);
            checkPassword(password);
            if (role != Role.ADMIN && role != Role.CRYPTO_USER) {
                throw new HsmException(Code.BAD_INPUT, "users are created as admin or crypto-user");
            }
            if (hsm.token().store().user(name).isPresent()) {
                throw new HsmException(Code.BAD_INPUT, "user " + name + " already exists");
            }
            hsm.quorum().consume(Quorum.SERVICE_USER, null, approval);
            Token t = hsm.token();
            t.store().saveUser(new UserRecord(name, role.stored(), t.verifier().create(bytes(password)), 0, false));
        });
    }

    public void delete(String name, Quorum.Approval approval) {
        run("CN_DELETE_USER", name, () -> {
            requireActiveAdmin("user delete");
            UserRecord u = existing(name);
            if (name.equals(hsm.principal().name())) {
                throw new HsmException(Code.FORBIDDEN, "an admin cannot delete itself");
            }
            if (u.role() == Role.APPLIANCE.stored()) {
                throw new HsmException(Code.FORBIDDEN, "the appliance user cannot be deleted");
            }
            for (HsmObject o : hsm.token().allObjects()) {
                if (name.equals(o.owner())) {
                    throw new HsmException(Code.FORBIDDEN, name + " owns key " + o.handle() + ": delete its keys first");
                }
            }
            hsm.quorum().consume(Quorum.SERVICE_USER, null, approval);
            hsm.token().store().deleteUser(name);
        });
    }

    /** A user's own password, or (admin) anyone's: an admin reset also unlocks a locked user. */
    public void changePassword(String name, String password, Quorum.Approval approval) {
        run("CN_CHANGE_PSWD", name, () -> {
            Principal p = hsm.principal();
            existing(name);
            boolean self = name.equals(p.name());
            if (!self) {
                requireActiveAdmin("changing another user's password");
                hsm.quorum().consume(Quorum.SERVICE_USER, null, approval);
            }
            checkPassword(password);
            Token t = hsm.token();
            // An admin's reset unlocks; a user's own change does not, and a lock set meanwhile refuses it.
            if (!t.store().changeVerifier(name, t.verifier().create(bytes(password)), !self)) {
                throw new HsmException(Code.LOCKED, name + " is locked after too many failed logins; an admin must reset its password");
            }
        });
    }

    public List<Map<String, Object>> list() {
        hsm.principal();
        boolean activated = ClusterState.of(hsm.directory()) == ClusterState.ACTIVE;
        Properties state = hsm.state().read();
        List<Map<String, Object>> out = new ArrayList<>();
        for (UserRecord u : hsm.token().users()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("username", u.name());
            m.put("role", Role.ofStored(u.role(), activated).cliName());
            m.put("locked", u.locked());
            m.put("quorum", state.containsKey(Quorum.KEY_PREFIX + u.name()) ? List.of("token-sign") : List.of());
            out.add(m);
        }
        return out;
    }

    private void requireActiveAdmin(String action) {
        hsm.principal().require(Role.ADMIN, action);
    }

    private UserRecord existing(String name) {
        return hsm.token().store().user(name)
                .orElseThrow(() -> new HsmException(Code.NOT_FOUND, "no user " + name));
    }

    private static void checkPassword(String password) {
        try {
            Passwords.check(bytes(password));
        } catch (CkException e) {
            throw new HsmException(Code.BAD_INPUT, e.getMessage().replaceFirst("^CKR_PIN_LEN_RANGE: ", ""), e.rv(), e);
        }
    }

    /** The change and its record commit together; a refusal is recorded with its reason. */
    private void run(String opcode, String target, Runnable body) {
        hsm.audited(opcode, "target " + target, body);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
