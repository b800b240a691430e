package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static io.jhsm.node.NodeFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.Server;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client on a cluster of two HSMs (two nodes over one directory): sessions spread by load, the login
 * reaches every HSM the application uses, losing an HSM fails its sessions only, discovery finds the cluster
 * from one address and {@code discovery = off} keeps to the listed HSMs.
 */
class ClusterClientTest {
    private static final long RW = CKF.SERIAL_SESSION | CKF.RW_SESSION;

    @TempDir
    Path dir;

    @Test
    void sessionsSpreadOverTheListedHsmsWithHandlesThatNeverCollide() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), hsms.addressB()), false);
            try {
                Set<Long> handles = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    handles.add(app.C_OpenSession(0, RW));
                }
                assertArrayEquals(new int[] {2, 2}, hsms.sessions(), "least loaded first, ties in turn");
                assertEquals(4, handles.size(), "each node numbers its own sessions from 1; the application's handles are distinct");
                long first = handles.iterator().next();
                app.C_CloseSession(first);
                assertEquals(3, hsms.sessions()[0] + hsms.sessions()[1]);
                for (long h : handles) {
                    if (h != first) {
                        assertEquals(CKS.RW_PUBLIC_SESSION, app.C_GetSessionInfo(h).state(), "closing one session leaves the others");
                    }
                }
                assertRv(CKR.SESSION_HANDLE_INVALID, () -> app.C_GetSessionInfo(first));
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void byDefaultEverySessionOfAnApplicationIsOnOneHsmSoItsSessionObjectsAreVisibleToAll() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            hsms.spread = false;
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), hsms.addressB()), false);
            try {
                long first = app.C_OpenSession(0, RW);
                long object = app.C_CreateObject(first, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, false),
                        Attribute.of(CKA.PRIVATE, false), Attribute.of(CKA.VALUE, new byte[] {1, 2, 3})));
                long second = app.C_OpenSession(0, RW);
                assertArrayEquals(new byte[] {1, 2, 3}, app.C_GetAttributeValue(second, object, new long[] {CKA.VALUE})
                        .get(0).value(), "PKCS#11: a session object is visible to every session of the application");
                int[] sessions = hsms.sessions();
                assertEquals(2, Math.max(sessions[0], sessions[1]), "both sessions on one HSM: " + sessions[0] + "/" + sessions[1]);
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void loginReachesEveryHsmInUseAndEveryHsmUsedLaterAndLogoutLeavesAll() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), hsms.addressB()), false);
            try {
                long s1 = app.C_OpenSession(0, RW);
                app.C_Login(s1, CKU.USER, NodeFixture.USER_PIN);
                long s2 = app.C_OpenSession(0, RW);
                assertArrayEquals(new int[] {1, 1}, hsms.sessions());
                assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(s2).state(), "logged in on the HSM used after C_Login");
                long s3 = app.C_OpenSession(0, RW);
                long s4 = app.C_OpenSession(0, RW);
                for (long s : new long[] {s3, s4}) {
                    assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(s).state());
                }
                app.C_Logout(s2);
                for (long s : new long[] {s1, s2, s3, s4}) {
                    assertEquals(CKS.RW_PUBLIC_SESSION, app.C_GetSessionInfo(s).state(), "logged out on every HSM");
                }
                app.C_Login(s1, CKU.USER, NodeFixture.USER_PIN);
                for (long s : new long[] {s1, s2, s3, s4}) {
                    assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(s).state(), "logged in on both HSMs in use");
                }
                assertRv(CKR.USER_ALREADY_LOGGED_IN, () -> app.C_Login(s2, CKU.USER, NodeFixture.USER_PIN));
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void aWrongPinIsTriedOnOneHsmOnly() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), hsms.addressB()), false);
            try {
                long s1 = app.C_OpenSession(0, RW);
                long s2 = app.C_OpenSession(0, RW);
                assertRv(CKR.PIN_INCORRECT, () -> app.C_Login(s1, CKU.USER, NodeFixture.bytes("wrong-pin-1")));
                assertEquals(CKS.RW_PUBLIC_SESSION, app.C_GetSessionInfo(s2).state());
                long s3 = app.C_OpenSession(0, RW);
                assertEquals(CKS.RW_PUBLIC_SESSION, app.C_GetSessionInfo(s3).state(), "a failed login is not carried to a new HSM");
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void aLoginRefusedBySecondHsmKeepsTheFirstAnswerAndSendsNoNewSessionsThere(@TempDir Path otherDir) throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir); NodeFixture stray = new NodeFixture(otherDir, 64)) {
            io.jhsm.engine.Engine local = stray.local();
            long ls = local.C_OpenSession(0, RW);
            local.C_Login(ls, CKU.USER, NodeFixture.USER_PIN);
            local.C_SetPIN(ls, NodeFixture.USER_PIN, NodeFixture.bytes("another-pin-1")); // an HSM out of step with A
            local.C_Finalize();
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), new ClientConfig.HostAndPort("127.0.0.1", stray.port)), false);
            try {
                long onA = -1;
                long onStray = -1;
                for (int i = 0; i < 2; i++) {
                    int before = hsms.a.endpoint.sessions();
                    long s = app.C_OpenSession(0, RW);
                    if (hsms.a.endpoint.sessions() > before) {
                        onA = s;
                    } else {
                        onStray = s;
                    }
                }
                app.C_Login(onA, CKU.USER, NodeFixture.USER_PIN);
                assertEquals(CKS.RW_PUBLIC_SESSION, app.C_GetSessionInfo(onStray).state(), "the stray HSM refused the PIN");
                int strays = stray.endpoint.sessions();
                for (int i = 0; i < 6; i++) {
                    assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(app.C_OpenSession(0, RW)).state());
                }
                assertEquals(strays, stray.endpoint.sessions(), "no new session stays where the application could not log in");
                io.jhsm.engine.Engine look = stray.local();
                try {
                    long flags = look.C_GetTokenInfo(0).flags();
                    assertEquals(CKF.USER_PIN_COUNT_LOW, flags & (CKF.USER_PIN_COUNT_LOW | CKF.USER_PIN_FINAL_TRY | CKF.USER_PIN_LOCKED),
                            "the PIN went to the stray HSM once, not with every new session (which would lock the user out)");
                } finally {
                    look.C_Finalize();
                }
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void losingAnHsmMovesItsSessionsLoggedInToTheOtherWhereNewSessionsGoUntilItReturns() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), hsms.addressB()), false);
            try {
                long onA = -1;
                long onB = -1;
                for (int i = 0; i < 2; i++) {
                    int[] before = hsms.sessions();
                    long s = app.C_OpenSession(0, RW);
                    if (hsms.sessions()[0] > before[0]) {
                        onA = s;
                    } else {
                        onB = s;
                    }
                }
                app.C_Login(onA, CKU.USER, NodeFixture.USER_PIN);
                int port = hsms.bPort;
                hsms.stopB();
                long lostSession = onB;
                long survivor = onA;
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    // B's session survives on A (failover): a call that still reached for B fails CKR_DEVICE_REMOVED,
                    // the next re-opens the session on A, logged in as the application is.
                    int onABefore = hsms.a.endpoint.sessions();
                    assertEquals(CKS.RW_USER_FUNCTIONS, stateOnceReopened(app, lostSession), "B's session now lives on A, logged in");
                    assertEquals(onABefore + 1, hsms.a.endpoint.sessions(), "B's session was re-opened on A");
                    assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(survivor).state(), "A's sessions carry on");
                    int a = hsms.a.endpoint.sessions();
                    long n1 = app.C_OpenSession(0, RW);
                    long n2 = app.C_OpenSession(0, RW);
                    assertEquals(a + 2, hsms.a.endpoint.sessions(), "new sessions go to the surviving HSM");
                    assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(n2).state());
                    app.C_CloseSession(n1);
                    app.C_CloseSession(n2);
                });
                hsms.startB(port);
                List<Long> opened = new ArrayList<>();
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    while (hsms.bEndpoint.sessions() == 0) {
                        opened.add(app.C_OpenSession(0, RW));
                        Thread.sleep(500);
                    }
                });
                long onReturned = opened.get(opened.size() - 1);
                assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(onReturned).state(), "logged in on the returning HSM");
                assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(lostSession).state(), "the moved session stays on A, valid");
            } finally {
                app.C_Finalize();
            }
        }
    }

    /** The session's state once a call on it works: CKR_DEVICE_REMOVED only while a call still reaches for the lost HSM. */
    private static long stateOnceReopened(RemoteCryptoki app, long session) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return app.C_GetSessionInfo(session).state();
            } catch (CkException e) {
                if (e.rv() != CKR.DEVICE_REMOVED || i == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void aHungHsmCostsOneCallTimeoutThenItsPeerTakesTheNewSessionsAndOtherCalls() throws Exception {
        Server hung = HungHsm.start();
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA(), new ClientConfig.HostAndPort("127.0.0.1", hung.getPort())), false,
                    Duration.ofMillis(500));
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    int timedOut = 0;
                    for (int i = 0; i < 4; i++) {
                        try {
                            app.C_OpenSession(0, RW);
                        } catch (CkException e) {
                            assertEquals(CKR.name(CKR.DEVICE_ERROR), CKR.name(e.rv()), "no answer within call-timeout-ms");
                            timedOut++;
                        }
                    }
                    assertEquals(1, timedOut, "once it timed out, the hung HSM gets no new sessions");
                    assertEquals(3, hsms.a.endpoint.sessions());
                    app.C_GetInfo();
                });
            } finally {
                app.C_Finalize();
            }
        } finally {
            hung.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void discoveryFindsTheWholeClusterFromOneAddress() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressB()), true);
            try {
                app.C_OpenSession(0, RW);
                app.C_OpenSession(0, RW);
                assertArrayEquals(new int[] {1, 1}, hsms.sessions());
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void discoveryRefreshesTheListSoAnAddedHsmGetsSessionsAndARemovedOneNone() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            hsms.cluster = List.of(hsms.addressB());
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressB()), true);
            try {
                List<Long> onB = new ArrayList<>(List.of(app.C_OpenSession(0, RW), app.C_OpenSession(0, RW)));
                assertArrayEquals(new int[] {0, 2}, hsms.sessions(), "A is not in the cluster yet");
                hsms.cluster = List.of(hsms.addressA(), hsms.addressB()); // A joins, as a replacement HSM does
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    while (hsms.a.endpoint.sessions() == 0) {
                        Thread.sleep(250);
                        int before = hsms.bEndpoint.sessions();
                        long s = app.C_OpenSession(0, RW);
                        if (hsms.bEndpoint.sessions() > before) {
                            onB.add(s);
                        }
                    }
                });
                for (long s : onB) {
                    app.C_CloseSession(s); // B is now the least loaded
                }
                hsms.cluster = List.of(hsms.addressA()); // B leaves the cluster (removed)
                Thread.sleep(2 * 3_000 + 1_500); // two discovery rounds
                for (int i = 0; i < 3; i++) {
                    app.C_OpenSession(0, RW);
                }
                assertArrayEquals(new int[] {4, 0}, hsms.sessions(), "no new session on an HSM the cluster no longer lists");
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void discoveryOffKeepsToTheListedHsm() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressB()), false);
            try {
                for (int i = 0; i < 3; i++) {
                    app.C_OpenSession(0, RW);
                }
                assertArrayEquals(new int[] {0, 3}, hsms.sessions());
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void aNodeWithoutListHsmsIsAOneHsmCluster() throws Exception {
        try (TwoHsms hsms = new TwoHsms(dir)) {
            RemoteCryptoki app = hsms.connected(List.of(hsms.addressA()), true);
            try {
                for (int i = 0; i < 2; i++) {
                    app.C_OpenSession(0, RW);
                }
                assertArrayEquals(new int[] {2, 0}, hsms.sessions());
            } finally {
                app.C_Finalize();
            }
            eventually(() -> hsms.a.endpoint.sessions() == 0, "C_Finalize ends the application");
        }
    }
}
