package io.jhsm.engine.function;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.mechanism.registry.MechanismRegistry;
import io.jhsm.engine.profile.CloudHsmFunctions;
import io.jhsm.engine.profile.CloudHsmMechanisms;
import io.jhsm.engine.profile.ProfileSetting;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.store.Pbkdf2PinVerifier;
import io.jhsm.engine.store.TokenStores;
import io.jhsm.engine.token.KeyPolicySetting;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything that exists between C_Initialize and C_Finalize: the slots with their tokens and the
 * open sessions. Token stores open on first use, so C_Initialize does no work the first call does
 * not need.
 */
public final class ModuleState {
    final Config config;
    /** The mechanisms a pkcs11-profile token offers (no vendor ones); {@link #mechanismsOf} picks by profile. */
    final MechanismRegistry mechanisms;
    private final MechanismRegistry cloudHsmMechanisms;
    private final Token[] tokens;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextSession = new AtomicLong();

    ModuleState(Config config, MechanismRegistry mechanisms) {
        this.config = config;
        this.mechanisms = mechanisms.offering(CloudHsmMechanisms::onPkcs11Token);
        this.cloudHsmMechanisms = mechanisms.offering(CloudHsmMechanisms::onCloudHsmToken);
        this.tokens = new Token[config.slots()];
    }

    int slotCount() {
        return tokens.length;
    }

    public Token token(long slotId) {
        if (slotId < 0 || slotId >= tokens.length) {
            throw new CkException(CKR.SLOT_ID_INVALID, "no slot " + slotId);
        }
        int i = (int) slotId;
        synchronized (tokens) {
            if (tokens[i] == null) {
                tokens[i] = new Token(slotId, TokenStores.open(config.tokenDirectory(i)), new Pbkdf2PinVerifier(), KeyPolicy::visible);
                tokens[i].markCluster(io.jhsm.engine.cloudhsm.ClusterState.managed(config.tokenDirectory(i)));
                tokens[i].useKeyPolicy(config.keyPolicy().stricter(KeyPolicySetting.read(config.tokenDirectory(i))));
                tokens[i].useCloudHsmProfile(ProfileSetting.effective(config.profile(), config.tokenDirectory(i)).cloudHsm());
            }
            return tokens[i];
        }
    }

    /** The mechanisms the token offers: SDK 5's on a cloudhsm-profile token ({@link CloudHsmMechanisms}). */
    MechanismRegistry mechanismsOf(Token t) {
        return t.cloudHsmProfile() ? cloudHsmMechanisms : mechanisms;
    }

    public Session session(long handle) {
        Session s = sessions.get(handle);
        if (s == null) {
            throw new CkException(CKR.SESSION_HANDLE_INVALID, "no session " + handle);
        }
        return s;
    }

    /** The session, for a function CloudHSM's SDK 5 lacks: refused on a cloudhsm-profile token ({@link CloudHsmFunctions}). */
    public Session sessionFor(long handle, String function) {
        Session s = session(handle);
        CloudHsmFunctions.require(s.token(), function);
        return s;
    }

    /** The session, for an operation of a kind SDK 5 lacks: refused on a cloudhsm-profile token. */
    public Session sessionFor(long handle, OperationKind kind) {
        Session s = session(handle);
        CloudHsmFunctions.requireOperation(s.token(), kind);
        return s;
    }

    Session open(Token token, boolean readWrite) {
        Session s = new Session(nextSession.incrementAndGet(), token, readWrite);
        sessions.put(s.handle(), s);
        return s;
    }

    /** Removes the session; returns true when it was the token's last one. */
    boolean close(Session s) {
        synchronized (s) {
            s.endAll();
        }
        sessions.remove(s.handle());
        s.token().removeObjectsOf(s.handle());
        return sessionsOf(s.token()).isEmpty();
    }

    List<Session> sessionsOf(Token token) {
        List<Session> list = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.token() == token) {
                list.add(s);
            }
        }
        return list;
    }

    public void shutdown() {
        sessions.clear();
        synchronized (tokens) {
            for (Token t : tokens) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }
}
