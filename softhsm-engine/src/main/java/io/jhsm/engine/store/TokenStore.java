package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.util.List;
import java.util.Optional;

/**
 * Persistent state of one token: its record, its users and its token objects. Several processes
 * may open the same token directory at once; every write is one transaction, and
 * {@link #changesSince} lets a process catch up with what others committed.
 *
 * <p>Implementations keep no key material and no PIN in clear on disk (see
 * softhsm-engine/STORAGE.md): object attributes are sealed with an AEAD under a key the database
 * alone cannot open, and users carry only PIN verifiers.
 */
public interface TokenStore extends AutoCloseable {

    /** The token record, or empty while the token was never initialised (C_InitToken not yet called). */
    Optional<TokenRecord> token();

    /**
     * C_InitToken: in one transaction, replace the token record, delete every object and user, and
     * store the given users (the SO at least).
     */
    void initialize(TokenRecord token, List<UserRecord> users);

    List<UserRecord> users();

    Optional<UserRecord> user(String name);

    /** Inserts or replaces the user with this name. */
    void saveUser(UserRecord user);

    void deleteUser(String name);

    /**
     * Starts a login attempt as {@code name} in {@code role} with one conditional write: the attempt is
     * counted as a failure before its PIN is checked, unless the user is locked or already has
     * {@code lockAfter} attempts counted. Thus no number of concurrent attempts, in any number of processes,
     * checks more than {@code lockAfter} PINs between two successful logins, and an attempt cut short (a
     * killed process) stays counted as failed.
     */
    LoginAttempt beginLogin(String name, long role, int lockAfter);

    /** Ends a started attempt whose PIN was wrong: locks the user once {@code lockAfter} are counted. True if locked now. */
    boolean loginFailed(String name, int lockAfter);

    /**
     * Ends a started attempt whose PIN was right: clears the count, unless the user was locked meanwhile,
     * in which case nothing changes and the answer is false (the login must be refused: a right PIN never
     * unlocks a user).
     */
    boolean loginSucceeded(String name);

    /**
     * Replaces a user's PIN verifier. {@code reset} (an administrator's reset, C_InitPIN): also clears the
     * failure count and the lock. Otherwise (users changing their own PIN) refused, false, while the user is
     * locked, and the count is left alone. False too when there is no such user.
     */
    boolean changeVerifier(String name, byte[] verifier, boolean reset);

    /** Adds a token object; returns its id, which is also its handle (positive, never reused). */
    long insertObject(List<Attribute> attributes);

    /** Replaces the attributes of an existing object. Unknown id: IllegalArgumentException. */
    void updateObject(long id, List<Attribute> attributes);

    void deleteObject(long id);

    /**
     * Every object inserted, updated or deleted after {@code generation} (0: all objects), with the
     * generation to ask from next time. Cheap when nothing changed: the engine calls it before each
     * operation that reads token objects.
     */
    ObjectChanges changesSince(long generation);

    /** Audit records committed with changes (see {@link AuditIntent}) whose id is above {@code afterId}, in id order. */
    List<PendingAudit> pendingAudit(long afterId);

    /** audit.log now holds the pending records up to this id: later writes may drop them. */
    void auditWritten(long upToId);

    /** Replaces a pending record's text (the call's outcome changed it); false when the row is not there. */
    boolean amendAudit(long id, String record);

    /** Ids of stored objects whose sealed data no longer opens (fsck: `jhsm hsm check`). */
    List<Long> damagedObjects();

    @Override
    void close();
}
