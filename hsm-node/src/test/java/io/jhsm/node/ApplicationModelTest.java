package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static io.jhsm.node.NodeFixture.bytes;
import static io.jhsm.node.NodeFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One connection is one PKCS#11 application: login state, session objects and session limits as the node keeps them. */
class ApplicationModelTest {
    static final long RW = CKF.SERIAL_SESSION | CKF.RW_SESSION;

    @TempDir
    Path dir;

    @Test
    void twoClientProcessesLogInIndependently() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            RemoteCryptoki a = node.connected();
            RemoteCryptoki b = node.connected();
            try {
                long sa = NodeFixture.userSession(a);
                long sb = b.C_OpenSession(0, RW);
                assertEquals(CKS.RW_USER_FUNCTIONS, a.C_GetSessionInfo(sa).state());
                assertEquals(CKS.RW_PUBLIC_SESSION, b.C_GetSessionInfo(sb).state(), "A's login is not B's");
                b.C_Login(sb, CKU.USER, NodeFixture.USER_PIN);
                a.C_Logout(sa);
                assertEquals(CKS.RW_PUBLIC_SESSION, a.C_GetSessionInfo(sa).state());
                assertEquals(CKS.RW_USER_FUNCTIONS, b.C_GetSessionInfo(sb).state(), "A's logout is not B's");
                assertRv(CKR.SESSION_HANDLE_INVALID, () -> b.C_GetSessionInfo(sa));
            } finally {
                a.C_Finalize();
                b.C_Finalize();
            }
        }
    }

    private static long dataObject(Cryptoki c, long s, String label, boolean token) {
        return c.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, token),
                Attribute.of(CKA.PRIVATE, false), Attribute.of(CKA.LABEL, label), Attribute.of(CKA.VALUE, bytes("v"))));
    }

    private static int count(Cryptoki c, long s, String label) {
        c.C_FindObjectsInit(s, List.of(Attribute.of(CKA.LABEL, label)));
        int n = c.C_FindObjects(s, 100).length;
        c.C_FindObjectsFinal(s);
        return n;
    }

    @Test
    void closingTheConnectionEndsItsSessionsAndSessionObjectsWhileTokenObjectsStay() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            RemoteCryptoki a = node.connected();
            long sa = NodeFixture.userSession(a);
            dataObject(a, sa, "kept", true);
            dataObject(a, sa, "gone", false);
            assertEquals(1, count(a, sa, "gone"));
            assertEquals(1, node.endpoint.sessions());
            a.C_Finalize();
            eventually(() -> node.endpoint.applications() == 0 && node.endpoint.sessions() == 0, "the node ended A's application");

            a.C_Initialize(InitializeArgs.NONE);
            try {
                long again = a.C_OpenSession(0, RW);
                assertEquals(CKS.RW_PUBLIC_SESSION, a.C_GetSessionInfo(again).state(), "the new connection is not logged in");
                assertRv(CKR.SESSION_HANDLE_INVALID, () -> a.C_GetSessionInfo(sa));
                assertEquals(1, count(a, again, "kept"), "token objects are the HSM's");
                assertEquals(0, count(a, again, "gone"), "session objects died with their application");
            } finally {
                a.C_Finalize();
            }
        }
    }

    @Test
    void sessionsPastTheNodesLimitAreSessionCount() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 3)) {
            RemoteCryptoki a = node.connected();
            RemoteCryptoki b = node.connected();
            try {
                long first = a.C_OpenSession(0, RW);
                a.C_OpenSession(0, RW);
                b.C_OpenSession(0, RW);
                assertRv(CKR.SESSION_COUNT, () -> b.C_OpenSession(0, RW));
                a.C_CloseSession(first);
                long again = b.C_OpenSession(0, RW);
                assertRv(CKR.SESSION_COUNT, () -> a.C_OpenSession(0, RW));
                a.C_CloseAllSessions(0);
                assertEquals(2, node.endpoint.sessions());
                b.C_CloseSession(again);
                assertEquals(1, node.endpoint.sessions());
            } finally {
                a.C_Finalize();
                b.C_Finalize();
            }
            eventually(() -> node.endpoint.sessions() == 0, "closed connections give their sessions back");
        }
    }

    @Test
    void aStoppedNodeIsDeviceRemovedAndOnceRestartedTheApplicationsSessionComesBackLoggedIn() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            RemoteCryptoki app = node.client(Duration.ofSeconds(3));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                long s = NodeFixture.userSession(app);
                int port = node.port;
                node.stop();
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    assertRv(CKR.DEVICE_REMOVED, () -> app.C_GetSessionInfo(s));
                    assertRv(CKR.DEVICE_ERROR, app::C_GetInfo);
                });
                node.start(port);
                long fresh = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> openWhenBack(app));
                // The application never logged out and still holds its session: it is logged in on the new node
                // connection, and its old session handle works again, re-opened there (SessionRouter).
                assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(fresh).state());
                assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(s).state());
                assertEquals(2, node.endpoint.sessions(), "the old session re-opened beside the new one");
            } finally {
                app.C_Finalize();
            }
        }
    }

    private static long openWhenBack(Cryptoki app) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return app.C_OpenSession(0, RW);
            } catch (CkException e) {
                if (e.rv() != CKR.DEVICE_REMOVED || i == 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void beforeTheClusterIsInitializedEveryCallIsDeviceError() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            node.clusterInitialized = false;
            RemoteCryptoki app = node.connected();
            try {
                CkException e = org.junit.jupiter.api.Assertions.assertThrows(CkException.class, app::C_GetInfo);
                assertEquals(CKR.DEVICE_ERROR, e.rv());
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cluster not initialized"), e.getMessage());
                node.clusterInitialized = true;
                app.C_GetInfo();
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void anUnreachableHsmFailsInitializeWithDeviceError() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            node.stop();
            RemoteCryptoki app = node.client(Duration.ofSeconds(2));
            assertRv(CKR.DEVICE_ERROR, () -> app.C_Initialize(InitializeArgs.NONE));
            assertRv(CKR.CRYPTOKI_NOT_INITIALIZED, app::C_GetInfo);
            node.start(0);
        }
    }
}
