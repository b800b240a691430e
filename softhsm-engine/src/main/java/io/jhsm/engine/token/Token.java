package io.jhsm.engine.token;

import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.store.LoginAttempt;
import io.jhsm.engine.store.PinVerifier;
import io.jhsm.engine.store.TokenRecord;
import io.jhsm.engine.store.TokenStore;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One token: its store, its users and PINs, the application's login state (shared by all sessions,
 * as PKCS#11 says) and its objects. Login and PIN changes are serialised on the token.
 */
public final class Token {
    /** CloudHSM locks a user after this many consecutive failed logins, until an admin resets the password. */
    public static final int LOCK_AFTER_FAILURES = 5;
    /** How long a login waits for attempts under way to settle before answering CKR_PIN_LOCKED. */
    static final Duration UNDER_WAY_WAIT = Duration.ofSeconds(5);

    private final long slotId;
    private final TokenStore store;
    private final PinVerifier verifier;
    private final ObjectTable objects;
    private final ObjectVisibility visibility;
    private volatile LoginState login;
    private volatile boolean knownInitialized;
    private volatile boolean cluster;
    private volatile KeyPolicyMode keyPolicy = KeyPolicyMode.DEFAULT;
    private volatile boolean cloudHsmProfile;

    public Token(long slotId, TokenStore store, PinVerifier verifier, ObjectVisibility visibility) {
        this.slotId = slotId;
        this.store = store;
        this.verifier = verifier;
        this.visibility = visibility;
        this.objects = new ObjectTable(store);
    }

    public long slotId() {
        return slotId;
    }

    public Optional<TokenRecord> record() {
        return store.token();
    }

    /**
     * Whether C_InitToken ever ran. Once true it stays true (re-initialising keeps a token initialised),
     * so only the "not yet" answer is asked of the store again: C_OpenSession costs no transaction.
     */
    /**
     * Whether this token is a CloudHSM cluster made by {@code jhsm cluster create} (decided when the
     * token is opened): only there does the admin lose the PKCS#11 SO's use of public key objects.
     */
    public boolean cluster() {
        return cluster;
    }

    public void markCluster(boolean managed) {
        this.cluster = managed;
    }

    /** The key rules this token enforces (decided when the token is opened: configuration and token choice). */
    public KeyPolicyMode keyPolicy() {
        return keyPolicy;
    }

    public void useKeyPolicy(KeyPolicyMode mode) {
        this.keyPolicy = mode;
    }

    /**
     * Whether this token reproduces CloudHSM's PKCS#11 library (the {@code cloudhsm} profile) rather than the
     * specification (decided when the token is opened; {@code io.jhsm.engine.profile} says what it changes).
     */
    public boolean cloudHsmProfile() {
        return cloudHsmProfile;
    }

    public void useCloudHsmProfile(boolean cloudHsm) {
        this.cloudHsmProfile = cloudHsm;
    }

    public boolean initialized() {
        if (!knownInitialized) {
            knownInitialized = store.token().isPresent();
        }
        return knownInitialized;
    }

    public LoginState login() {
        return login;
    }

    public List<UserRecord> users() {
        return store.users();
    }

    /** C_InitToken. The caller has checked that no session is open. */
    public synchronized void initialize(byte[] soPin, String label) {
        Optional<TokenRecord> existing = store.token();
        Pins so = existing.isPresent() ? Pins.parse(soPin, CKU.SO) : Pins.parseNew(soPin, CKU.SO);
        UserRecord officer;
        if (existing.isPresent()) {
            officer = authenticate(so, CKU.SO);
        } else {
            officer = new UserRecord(so.user(), CKU.SO, verifier.create(so.password()), 0, false);
        }
        String serial = existing.map(TokenRecord::serialNumber).orElseGet(Token::newSerial);
        store.initialize(new TokenRecord(label, serial), List.of(officer));
        knownInitialized = true;
        objects.clear();
        login = null;
    }

    /** C_Login with CKU_SO or CKU_USER. Session-state rules are the caller's; this checks the user and the PIN. */
    public synchronized void logIn(long role, byte[] pin) {
        Pins p = Pins.parse(pin, role);
        if (role == CKU.USER && store.users().stream().noneMatch(u -> u.role() == CKU.USER)) {
            throw new CkException(CKR.USER_PIN_NOT_INITIALIZED);
        }
        UserRecord user = authenticate(p, role);
        login = new LoginState(role, user.name());
    }

    /** CKU_CONTEXT_SPECIFIC: the logged-in user proves presence again. */
    public synchronized void reauthenticate(byte[] pin) {
        LoginState current = login;
        if (current == null) {
            throw new CkException(CKR.USER_NOT_LOGGED_IN);
        }
        Pins p = Pins.parse(pin, current.role());
        if (!p.user().equals(current.user()) && !p.user().equals(Pins.defaultUser(current.role()))) {
            throw new CkException(CKR.PIN_INCORRECT);
        }
        authenticate(new Pins(current.user(), p.password()), current.role());
    }

    public synchronized void logOut() {
        login = null;
        objects.removeSessionObjects(HsmObject::isPrivate);
    }

    /** C_InitPIN by the crypto officer: sets (or creates) a crypto user's PIN and unlocks it. */
    public synchronized void initUserPin(byte[] pin) {
        Pins p = Pins.parseNew(pin, CKU.USER);
        Optional<UserRecord> existing = store.user(p.user());
        if (existing.isPresent() && existing.get().role() != CKU.USER) {
            throw new CkException(CKR.PIN_INVALID, p.user() + " is not a crypto user");
        }
        store.saveUser(new UserRecord(p.user(), CKU.USER, verifier.create(p.password()), 0, false));
    }

    /** C_SetPIN: the logged-in user (or, in a public session, the default crypto user) changes its own PIN. */
    public synchronized void changePin(byte[] oldPin, byte[] newPin) {
        LoginState current = login;
        long role = current == null ? CKU.USER : current.role();
        Pins old = Pins.parse(oldPin, role);
        String name = current != null ? current.user() : old.user();
        if (current != null && !old.user().equals(name) && !old.user().equals(Pins.defaultUser(role))) {
            throw new CkException(CKR.PIN_INCORRECT, "a user changes only its own PIN");
        }
        Pins fresh = Pins.parseNew(newPin, role);
        authenticate(new Pins(name, old.password()), role);
        if (!store.changeVerifier(name, verifier.create(fresh.password()), false)) {
            throw new CkException(CKR.PIN_LOCKED, name + " was locked before its new PIN was stored");
        }
    }

    /**
     * Checks the password with the lockout rule, atomically across processes: the store counts the attempt as
     * a failure before the PIN is checked (so concurrent guesses cannot all pass a "not locked yet" test) and
     * clears the count after a right PIN only while the user is not locked (so a right PIN never unlocks).
     * The attempt that reaches {@link #LOCK_AFTER_FAILURES} answers CKR_PIN_LOCKED, as every later one does.
     */
    private UserRecord authenticate(Pins p, long role) {
        LoginAttempt attempt = beginLogin(p, role);
        switch (attempt.outcome()) {
            case NO_SUCH_USER -> throw new CkException(CKR.PIN_INCORRECT, "no such user");
            case LOCKED -> throw new CkException(CKR.PIN_LOCKED, p.user() + " is locked after "
                    + LOCK_AFTER_FAILURES + " failed logins (or has that many under way)");
            case STARTED -> { }
        }
        UserRecord user = attempt.user();
        if (!verifier.matches(user.pinVerifier(), p.password())) {
            boolean locked = store.loginFailed(user.name(), LOCK_AFTER_FAILURES);
            throw new CkException(locked ? CKR.PIN_LOCKED : CKR.PIN_INCORRECT);
        }
        if (!store.loginSucceeded(user.name())) {
            throw new CkException(CKR.PIN_LOCKED, user.name() + " was locked while its PIN was being checked");
        }
        return new UserRecord(user.name(), role, user.pinVerifier(), 0, false);
    }

    /**
     * The store's beginLogin, waiting (bounded) while it refuses only because the limit's worth of attempts are under
     * way and the user is not locked: concurrent right PINs (a forking server's workers logging in together) then
     * log in instead of reading as a lockout, and no more than the limit of PINs is ever being checked at once.
     */
    private LoginAttempt beginLogin(Pins p, long role) {
        long deadline = System.nanoTime() + UNDER_WAY_WAIT.toNanos();
        LoginAttempt attempt = store.beginLogin(p.user(), role, LOCK_AFTER_FAILURES);
        // Backing off: on a cluster each try is a replicated command. A PIN check takes milliseconds.
        for (long pauseMs = 2; attempt.outcome() == LoginAttempt.Outcome.LOCKED && System.nanoTime() < deadline
                && store.user(p.user()).map(u -> !u.locked()).orElse(false); pauseMs = Math.min(pauseMs * 2, 50)) {
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            attempt = store.beginLogin(p.user(), role, LOCK_AFTER_FAILURES);
        }
        return attempt;
    }

    // ---- the CloudHSM management layer (io.jhsm.engine.cloudhsm) manages users and backups through these

    /** Its keys now (token keys as committed, this application's session keys): the HSM's key metrics. */
    public TokenCounts counts() {
        TokenCounts keys = objects.counts();
        return new TokenCounts(keys.tokenKeys(), keys.sessionKeys(), store.users().size());
    }

    public TokenStore store() {
        return store;
    }

    public PinVerifier verifier() {
        return verifier;
    }

    /** Checks a named user's password with the lockout rule, without logging in. */
    public synchronized UserRecord authenticate(String name, long role, byte[] password) {
        return authenticate(new Pins(name, password), role);
    }

    // ---- objects

    /** The object if it exists and the current login may see it. */
    public HsmObject visibleObject(long handle) {
        HsmObject o = objects.get(handle);
        return o != null && visible(o) ? o : null;
    }

    /**
     * The visible key with this handle, or {@code invalidRv} (CKR_KEY_HANDLE_INVALID or its wrapping/unwrapping
     * form) when there is none or the object is not a key: PKCS#11 5.1.5 gives that code to "a valid handle for
     * an object which is not a key".
     */
    public HsmObject visibleKey(long handle, long invalidRv) {
        HsmObject o = visibleObject(handle);
        long cls = o == null ? -1 : o.objectClassOrUnknown();
        if (cls != CKO.SECRET_KEY && cls != CKO.PRIVATE_KEY && cls != CKO.PUBLIC_KEY) {
            throw new CkException(invalidRv, "no key " + handle);
        }
        return o;
    }

    /** PKCS#11's private-object rule plus CloudHSM's ownership: a crypto user sees its own keys, those shared with it, and public keys. */
    public boolean visible(HsmObject o) {
        return visibility.visible(o, login);
    }

    public List<HsmObject> visibleObjects() {
        objects.refresh();
        List<HsmObject> all = objects.snapshot();
        all.removeIf(o -> !visible(o));
        return all;
    }

    /** Every object, visible or not: for checks that must see what the caller cannot (a key's other half). */
    public List<HsmObject> allObjects() {
        objects.refresh();
        return objects.snapshot();
    }

    public void refreshObjects() {
        objects.refresh();
    }

    public HsmObject addObject(Map<Long, Attribute> attributes, long creatorSession) {
        return objects.add(attributes, creatorSession);
    }

    public HsmObject replaceObject(HsmObject old, Map<Long, Attribute> attributes) {
        return objects.replace(old, attributes);
    }

    public void removeObject(HsmObject o) {
        objects.remove(o);
    }

    /** The objects a closing session made. */
    public void removeObjectsOf(long session) {
        objects.removeObjectsOf(session);
    }

    /** The last session of the application on this token closed: PKCS#11 logs the user out. */
    public void allSessionsClosed() {
        logOut();
        objects.removeSessionObjects(o -> true);
    }

    public void close() {
        store.close();
    }

    private static String newSerial() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
