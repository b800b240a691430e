package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.USER_PIN;
import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.cloudhsm.StateFile;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.replication.ReplicatedState;
import io.jhsm.engine.store.NotCommittedException;
import io.jhsm.engine.store.Replicator;
import io.jhsm.engine.store.SqliteTokenStore;
import io.jhsm.engine.store.StorageKey;
import io.jhsm.engine.store.StoreImage;
import io.jhsm.engine.store.TokenStores;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.engine.token.KeyPolicySetting;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three HSMs' token directories sharing one cluster key, and a real in-memory replicated log that applies
 * every command to each HSM's ReplicatedState in order, as Raft would: what an Engine changes over HSM A
 * is there on HSM B, with the same handles.
 */
class ClusterReplicationTest {
    @TempDir
    Path root;

    private final Log log = new Log();
    private final List<Engine> engines = new ArrayList<>();
    private Path a;
    private Path b;
    private ReplicatedState stateA;
    private ReplicatedState stateB;

    /** The replicated log: entries in order, applied on every member as they are appended. */
    static final class Log {
        final List<byte[]> entries = new ArrayList<>();
        final List<ReplicatedState> members = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        boolean majorityLost;

        /**
         * What an HSM's node registers: append, apply on every member (the first is the leader), and answer with
         * the leader's result once {@code here} has applied the entry too, as the Raft node does.
         */
        Replicator at(ReplicatedState here) {
            return command -> {
                synchronized (this) {
                    if (majorityLost) {
                        throw new NotCommittedException("hsm-a: change not committed by the cluster within 5 s"
                                + " (no majority of HSMs reachable: 1 of 3); the token is unchanged");
                    }
                    sent.add(command);
                    entries.add(command);
                    long index = entries.size();
                    byte[] leaders = null;
                    for (ReplicatedState m : members) {
                        byte[] result = m.apply(index, command);
                        leaders = leaders == null ? result : leaders;
                    }
                    assertEquals(index, here.appliedIndex());
                    return leaders;
                }
            };
        }
    }

    @BeforeEach
    void cluster() throws IOException {
        a = hsm("a");
        b = hsm("b");
        stateA = member(a);
        stateB = member(b);
    }

    /**
     * An HSM's token directory holding the cluster key, the first HSM's device.key: B gets it provisioned
     * with an empty token.db, C (as cluster up's supervisor makes a new HSM) as a bare copy (0600).
     */
    private Path hsm(String name) throws IOException {
        Path token = root.resolve(name).resolve("slot-0");
        Path clusterKey = root.resolve("a").resolve("slot-0").resolve(StorageKey.FILE_NAME);
        switch (name) {
            case "a" -> SqliteTokenStore.open(token).close();
            case "b" -> TokenStores.provision(token, clusterKey);
            default -> {
                Files.createDirectories(token);
                Files.copy(clusterKey, token.resolve(StorageKey.FILE_NAME));
            }
        }
        return token;
    }

    private ReplicatedState member(Path token) {
        ReplicatedState state = ReplicatedState.open(token);
        log.members.add(state);
        TokenStores.replicateThrough(token, log.at(state));
        return state;
    }

    @AfterEach
    void stop() {
        for (Engine e : engines) {
            e.C_Finalize();
        }
        for (ReplicatedState m : log.members) {
            TokenStores.stopReplicating(dirOf(m));
            m.close();
        }
    }

    private Path dirOf(ReplicatedState m) {
        return m == stateA ? a : m == stateB ? b : root.resolve("c").resolve("slot-0");
    }

    private Engine engine(Path token) {
        Engine e = EngineFixture.started(new Config(token.getParent(), 1));
        engines.add(e);
        return e;
    }

    /** C_InitToken and the crypto user's PIN, on HSM A. */
    private Engine initialisedA() {
        EngineFixture f = new EngineFixture(new Config(a.getParent(), 1)).initialised();
        engines.add(f.engine);
        return f.engine;
    }

    private static long userSession(Engine e) {
        long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        e.C_Login(s, CKU.USER, USER_PIN);
        return s;
    }

    private static long aesKey(Engine e, long s, byte[] value) {
        return e.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.VALUE, value),
                Attribute.of(CKA.LABEL, "shared")));
    }

    private static byte[] read(Engine e, long s, long object, long type) {
        return e.C_GetAttributeValue(s, object, new long[] {type}).get(0).value();
    }

    private static long[] keys(Engine e, long s) {
        e.C_FindObjectsInit(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY)));
        long[] found = e.C_FindObjects(s, 100);
        e.C_FindObjectsFinal(s);
        Arrays.sort(found);
        return found;
    }

    @Test
    void objectsMadeChangedAndDestroyedOnOneHsmAreSoOnTheOthersWithTheSameHandles() {
        Engine onA = initialisedA();
        long sa = userSession(onA);
        long first = aesKey(onA, sa, new byte[16]);
        long second = aesKey(onA, sa, new byte[32]);

        Engine onB = engine(b);
        long sb = userSession(onB);
        assertArrayEquals(new long[] {first, second}, keys(onB, sb));
        assertArrayEquals(read(onA, sa, first, CKA.UNIQUE_ID), read(onB, sb, first, CKA.UNIQUE_ID));

        onA.C_SetAttributeValue(sa, second, List.of(Attribute.of(CKA.LABEL, "renamed")));
        assertEquals("renamed", new String(read(onB, sb, second, CKA.LABEL), StandardCharsets.UTF_8));

        onA.C_DestroyObject(sa, first);
        assertArrayEquals(new long[] {second}, keys(onB, sb));
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> onB.C_GetAttributeValue(sb, first, new long[] {CKA.LABEL}));
    }

    @Test
    void eachHsmRecordsEachReplicatedChangeOnceInItsOwnAuditStream() throws IOException {
        Engine onA = initialisedA();
        long onLeader = aesKey(onA, userSession(onA), new byte[16]);
        Engine onB = engine(b);
        long onFollower = aesKey(onB, userSession(onB), new byte[16]);
        for (Path hsm : List.of(a, b)) {
            String audit = Files.readString(hsm.resolve("audit.log"));
            List<String> created = audit.lines().filter(line -> line.contains("CreateObject") || line.contains("CREATE_OBJECT"))
                    .toList();
            assertEquals(2, created.size(), hsm + "'s audit.log: " + audit);
            assertTrue(created.get(0).contains("[" + onLeader + "]"), created.get(0));
            assertTrue(created.get(1).contains("[" + onFollower + "]"), created.get(1));
        }
    }

    @Test
    void pinChangesAndLockoutCountsReachTheOtherHsms() {
        Engine onA = initialisedA();
        long s = onA.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        onA.C_Login(s, CKU.USER, USER_PIN);
        onA.C_SetPIN(s, USER_PIN, bytes("user-secret-2"));
        onA.C_Logout(s);
        assertRv(CKR.PIN_INCORRECT, () -> onA.C_Login(s, CKU.USER, bytes("wrong-pin-1")));
        assertEquals(users(a), users(b));
        assertTrue(users(b).stream().anyMatch(u -> u.contains("/1/false/")), "B counts A's failed login: " + users(b));

        Engine onB = engine(b);
        long sb = onB.C_OpenSession(0, CKF.SERIAL_SESSION);
        assertRv(CKR.PIN_INCORRECT, () -> onB.C_Login(sb, CKU.USER, USER_PIN));
        onB.C_Login(sb, CKU.USER, bytes("user-secret-2"));
        assertEquals(users(a), users(b));
    }

    /** Users as a comparable list: name, role, failures, lock (the verifier's bytes are compared apart). */
    private static List<String> users(Path token) {
        try (SqliteTokenStore store = SqliteTokenStore.open(token)) {
            return store.users().stream().map(u -> u.name() + "/" + u.role() + "/" + u.failedLogins() + "/" + u.locked()
                    + "/" + Arrays.hashCode(u.pinVerifier())).toList();
        }
    }

    @Test
    void clusterStateQuorumAndKeyPolicySettingsReachTheOtherHsms() {
        ClusterState.set(a, ClusterState.ACTIVE);
        new StateFile(a).update(p -> {
            p.setProperty("quorum.mofn.manage-users", "2");
            p.setProperty("quorum.scratch", "x");
        });
        new StateFile(a).update(p -> p.remove("quorum.scratch"));
        KeyPolicySetting.write(a, KeyPolicyMode.STRICT);

        assertEquals(ClusterState.ACTIVE, ClusterState.of(b));
        Properties onB = new StateFile(b).read();
        assertEquals("2", onB.getProperty("quorum.mofn.manage-users"));
        assertFalse(onB.containsKey("quorum.scratch"));
        assertEquals(new StateFile(a).read(), onB);
        assertEquals(KeyPolicyMode.STRICT, KeyPolicySetting.read(b));
    }

    @Test
    void reapplyingAnAppliedEntryChangesNothing() {
        Engine onA = initialisedA();
        aesKey(onA, userSession(onA), new byte[16]);
        StoreImage before = image(b);
        long applied = stateB.appliedIndex();
        assertEquals(log.entries.size(), applied);

        for (int i = 0; i < log.entries.size(); i++) {
            stateB.apply(i + 1, log.entries.get(i));
        }
        assertImagesEqual(before, image(b));

        stateB.close();
        stateB = ReplicatedState.open(b);
        log.members.set(1, stateB);
        assertEquals(applied, stateB.appliedIndex(), "the applied index is kept in token.db");
        stateB.apply(applied, log.entries.get((int) applied - 1));
        assertImagesEqual(before, image(b));
    }

    @Test
    void aSnapshotInstalledOnAFreshHsmGivesTheSameObjectsAndNextId() throws IOException {
        Engine onA = initialisedA();
        long sa = userSession(onA);
        long gone = aesKey(onA, sa, new byte[16]);
        aesKey(onA, sa, new byte[24]);
        onA.C_DestroyObject(sa, gone);
        ClusterState.set(a, ClusterState.ACTIVE);
        KeyPolicySetting.write(a, KeyPolicyMode.STRICT);

        Path snapshot = root.resolve("snapshot.jbk");
        stateA.writeSnapshot(snapshot);
        Path c = hsm("c");
        ReplicatedState stateC = ReplicatedState.open(c);
        stateC.installSnapshot(snapshot);
        log.members.add(stateC);

        assertImagesEqual(image(a), image(c));
        assertEquals(stateA.appliedIndex(), stateC.appliedIndex());
        assertEquals(new StateFile(a).read(), new StateFile(c).read());
        assertEquals(KeyPolicyMode.STRICT, KeyPolicySetting.read(c));

        long next = aesKey(onA, sa, new byte[32]);
        Engine onC = engine(c);
        TokenStores.replicateThrough(c, log.at(stateC));
        long sc = userSession(onC);
        assertTrue(Arrays.stream(keys(onC, sc)).anyMatch(h -> h == next), "the id after the snapshot is the same on C");
        assertArrayEquals(keys(onA, sa), keys(onC, sc));
    }

    @Test
    void aSnapshotOfAPlainTokenLeavesTheNewHsmAPlainToken() throws IOException {
        initialisedA();
        Path snapshot = root.resolve("snapshot.jbk");
        stateA.writeSnapshot(snapshot);
        Path c = hsm("c");
        try (ReplicatedState stateC = ReplicatedState.open(c)) {
            stateC.installSnapshot(snapshot);
        }
        assertFalse(ClusterState.managed(c), "no cloudhsm.properties: the token is not a CloudHSM cluster's");
        assertImagesEqual(image(a), image(c));
    }

    @Test
    void aChangeTheClusterDoesNotCommitLeavesTheTokenUnchangedAndFailsTheCall() {
        Engine onA = initialisedA();
        long sa = userSession(onA);
        long kept = aesKey(onA, sa, new byte[16]);
        StoreImage before = image(a);

        log.majorityLost = true;
        assertRv(CKR.FUNCTION_FAILED, () -> aesKey(onA, sa, new byte[16]));
        assertRv(CKR.FUNCTION_FAILED, () -> onA.C_DestroyObject(sa, kept));
        assertRv(CKR.FUNCTION_FAILED, () -> new StateFile(a).update(p -> p.setProperty("cluster.state", "ACTIVE")));

        assertImagesEqual(before, image(a));
        assertImagesEqual(before, image(b));
        assertArrayEquals(new long[] {kept}, keys(onA, sa));
        assertFalse(new StateFile(a).read().containsKey("cluster.state"));
    }

    @Test
    void noCommandHoldsARunOfASensitiveValueOrAPinInClear() {
        Engine onA = initialisedA();
        byte[] value = new byte[32];
        new SecureRandom().nextBytes(value);
        aesKey(onA, userSession(onA), value);
        assertFalse(log.sent.isEmpty());
        for (byte[] command : log.sent) {
            for (int i = 0; i + 6 <= value.length; i++) {
                assertFalse(contains(command, Arrays.copyOfRange(value, i, i + 6)),
                        "the command holds bytes " + i + ".." + (i + 6) + " of the key value in clear");
            }
        }
        log.sent.forEach(command -> assertFalse(contains(command, USER_PIN), "no PIN in clear either"));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    private static StoreImage image(Path token) {
        try (SqliteTokenStore store = SqliteTokenStore.open(token)) {
            return store.image();
        }
    }

    /** Same token, users (verifiers by value), objects by id (attributes by value), next id and applied index. */
    private static void assertImagesEqual(StoreImage expected, StoreImage actual) {
        assertEquals(expected.token(), actual.token());
        assertEquals(describe(expected.users()), describe(actual.users()));
        assertEquals(expected.objects().keySet(), actual.objects().keySet());
        expected.objects().forEach((id, attributes) -> assertEquals(attributes, actual.objects().get(id), "object " + id));
        assertEquals(expected.nextObjectId(), actual.nextObjectId());
        assertEquals(expected.appliedIndex(), actual.appliedIndex());
    }

    private static List<String> describe(List<UserRecord> users) {
        return users.stream().map(u -> u.name() + "/" + u.role() + "/" + u.failedLogins() + "/" + u.locked() + "/"
                + Arrays.toString(u.pinVerifier())).toList();
    }
}
