package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.profile.CloudHsmFunctions;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.store.TokenRecord;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.engine.token.Pins;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.CkVersion;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.LongStream;

/** Slot and token functions: lists, infos, mechanisms, C_InitToken. */
public final class SlotAndTokenCalls {
    public static final String MANUFACTURER = "jhsm";
    public static final CkVersion VERSION = new CkVersion(0, 1);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'00'");

    private final ModuleState m;

    SlotAndTokenCalls(ModuleState m) {
        this.m = m;
    }

    public long[] slotList() {
        return LongStream.range(0, m.slotCount()).toArray();
    }

    public CkSlotInfo slotInfo(long slotId) {
        m.token(slotId);
        return new CkSlotInfo("jhsm slot " + slotId, MANUFACTURER, CKF.TOKEN_PRESENT, VERSION, VERSION);
    }

    public CkTokenInfo tokenInfo(long slotId) {
        Token t = m.token(slotId);
        TokenRecord record = t.record().orElse(null);
        List<UserRecord> users = record == null ? List.of() : t.users();
        // No CKF_RESTORE_KEY_NOT_NEEDED: a saved signature or MAC state is restored only with its key named again.
        long flags = CKF.RNG | CKF.LOGIN_REQUIRED | CKF.CLOCK_ON_TOKEN | CKF.DUAL_CRYPTO_OPERATIONS;
        if (record != null) {
            flags |= CKF.TOKEN_INITIALIZED;
        }
        if (users.stream().anyMatch(u -> u.role() == CKU.USER)) {
            flags |= CKF.USER_PIN_INITIALIZED;
        }
        flags |= pinFlags(users, Pins.DEFAULT_USER, CKF.USER_PIN_COUNT_LOW, CKF.USER_PIN_FINAL_TRY, CKF.USER_PIN_LOCKED);
        flags |= pinFlags(users, Pins.DEFAULT_OFFICER, CKF.SO_PIN_COUNT_LOW, CKF.SO_PIN_FINAL_TRY, CKF.SO_PIN_LOCKED);
        List<Session> sessions = m.sessionsOf(t);
        long rw = sessions.stream().filter(Session::readWrite).count();
        String label = record == null ? "" : record.label();
        String serial = record == null ? "" : record.serialNumber();
        return new CkTokenInfo(label, MANUFACTURER, model(t), serial, flags, Ck.EFFECTIVELY_INFINITE, sessions.size(),
                Ck.EFFECTIVELY_INFINITE, rw, Pins.MAX_LENGTH, Pins.MIN_LENGTH, Ck.UNAVAILABLE_INFORMATION,
                Ck.UNAVAILABLE_INFORMATION, Ck.UNAVAILABLE_INFORMATION, Ck.UNAVAILABLE_INFORMATION, VERSION, VERSION,
                ZonedDateTime.now(ZoneOffset.UTC).format(UTC_TIME));
    }

    /**
     * The model names the profile and the key policy, so an application (or pkcs11-tool -L) can tell a
     * cloudhsm-profile or strict token apart (16 characters at most).
     */
    static String model(Token t) {
        if (t.cloudHsmProfile()) {
            return t.keyPolicy().strict() ? "cloudhsm strict" : "jhsm cloudhsm";
        }
        return t.keyPolicy().strict() ? "jhsm strict" : "jhsm";
    }

    /**
     * PKCS#11 3.0 §5.2 (CK_TOKEN_INFO flags) for the role's default user: COUNT_LOW once a wrong PIN was entered
     * since the last successful login, FINAL_TRY when one more wrong PIN locks, LOCKED when no login is possible
     * (locked, or as many attempts under way as the limit allows).
     */
    private static long pinFlags(List<UserRecord> users, String name, long low, long finalTry, long locked) {
        for (UserRecord u : users) {
            if (u.name().equals(name)) {
                long f = u.failedLogins() > 0 || u.locked() ? low : 0;
                if (u.locked() || u.failedLogins() >= Token.LOCK_AFTER_FAILURES) {
                    return f | locked;
                }
                return u.failedLogins() == Token.LOCK_AFTER_FAILURES - 1 ? f | finalTry : f;
            }
        }
        return 0;
    }

    public long[] mechanismList(long slotId) {
        return m.mechanismsOf(m.token(slotId)).types();
    }

    public CkMechanismInfo mechanismInfo(long slotId, long type) {
        MechanismEntry e = m.mechanismsOf(m.token(slotId)).get(type);
        if (e == null) {
            throw new CkException(CKR.MECHANISM_INVALID, CKM.name(type));
        }
        return e.info();
    }

    public void initToken(long slotId, byte[] soPin, byte[] label) {
        Token t = m.token(slotId);
        CloudHsmFunctions.require(t, "C_InitToken");
        if (label == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no label");
        }
        if (!m.sessionsOf(t).isEmpty()) {
            throw new CkException(CKR.SESSION_EXISTS, "close every session before C_InitToken");
        }
        if (ClusterState.managed(m.config.tokenDirectory((int) slotId))) {
            throw new CkException(CKR.FUNCTION_NOT_SUPPORTED,
                    "a CloudHSM cluster is initialised by 'jhsm cluster initialize' and wiped by 'jhsm hsm zeroize'");
        }
        t.initialize(soPin, new String(label, StandardCharsets.UTF_8).stripTrailing());
    }
}
