package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jhsm.protocol.v1.Attribute;
import io.jhsm.protocol.v1.Crypt;
import io.jhsm.protocol.v1.CreateObject;
import io.jhsm.protocol.v1.GenerateKey;
import io.jhsm.protocol.v1.GenerateKeyPair;
import io.jhsm.protocol.v1.GetAttributeValue;
import io.jhsm.protocol.v1.GetMechanismInfo;
import io.jhsm.protocol.v1.Login;
import io.jhsm.protocol.v1.Mechanism;
import io.jhsm.protocol.v1.NodeDescription;
import io.jhsm.protocol.v1.OperationInit;
import io.jhsm.protocol.v1.OutputBuffer;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.Session;
import io.jhsm.protocol.v1.SessionBytes;
import io.jhsm.protocol.v1.SessionNumber;
import io.jhsm.protocol.v1.SessionObject;
import io.jhsm.protocol.v1.SessionTemplate;
import io.jhsm.protocol.v1.Slot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile or broken client never crashes or wedges a node (issue 14, "Bad input and faults"): after each
 * attack the node process is alive and a good client still opens a session, logs in and gets random bytes.
 * One node (made by {@code cluster up --quick-start}) takes all the attacks, on loopback, in bounded loops.
 */
class HostileNetworkPeerTest {
    static final long CKR_SLOT_ID_INVALID = 0x3, CKR_ARGUMENTS_BAD = 0x7, CKR_GENERAL_ERROR = 0x5,
            CKR_KEY_HANDLE_INVALID = 0x60, CKR_MECHANISM_INVALID = 0x70, CKR_OBJECT_HANDLE_INVALID = 0x82,
            CKR_SESSION_HANDLE_INVALID = 0xB3, CKR_USER_TYPE_INVALID = 0x103, CKR_FUNCTION_NOT_SUPPORTED = 0x54;
    static final long CKA_TOKEN = 0x1, CKA_LABEL = 0x3, CKA_ENCRYPT = 0x104, CKA_VALUE_LEN = 0x161,
            CKA_MODULUS_BITS = 0x121, CKA_PUBLIC_EXPONENT = 0x122, CKA_SIGN = 0x108;
    static final long CKM_AES_KEY_GEN = 0x1080, CKM_AES_ECB = 0x1081, CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0;
    static final long TWO_TO_63 = Long.MIN_VALUE, MAX_UINT64 = -1L;

    @TempDir static Path dir;
    static NetworkNode node;

    @BeforeAll
    static void up() {
        node = NetworkNode.up(dir);
    }

    @AfterAll
    static void down() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void garbageAfterTheTlsHandshakeIsDroppedAndOthersKeepWorking() throws IOException {
        Random random = new Random(14);
        for (int round = 0; round < 20; round++) {
            byte[] junk = new byte[1 + random.nextInt(256 << 10)];
            random.nextBytes(junk);
            try (SSLSocket s = RawTls.connect(node.address())) {
                OutputStream out = s.getOutputStream();
                try {
                    if (round % 2 == 1) {
                        out.write(RawTls.HTTP2_PREFACE_AND_SETTINGS);   // a valid start, then frames of noise
                    }
                    out.write(junk);
                    out.flush();
                } catch (IOException closedWhileWriting) {
                    continue;   // the node hung up before reading it all: as good as it gets
                }
                assertTrue(RawTls.closedByPeer(s), "round " + round + ": the node kept a connection that sent "
                        + junk.length + " bytes of garbage open for 15 s");
            }
        }
        RawCryptoki.goodClientWorks(node, "20 connections sent garbage after the TLS handshake");
    }

    @Test
    void anOversizedMessageIsRefusedWithoutHarm() {
        byte[] huge = new byte[48 << 20];   // past any sane max inbound size (16 MiB + headroom)
        try (RawCryptoki c = new RawCryptoki(node.channel(), 60)) {
            long s = c.loggedInSession();
            Request r = Request.newBuilder().setDigestUpdate(SessionBytes.newBuilder().setSession(s)
                    .setData(ByteString.copyFrom(huge))).build();
            StatusRuntimeException e = expectStatus(() -> c.call(r), "a 48 MiB request");
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
        }
        RawCryptoki.goodClientWorks(node, "a 48 MiB request");
    }

    @Test
    void aThousandIdleConnectionsLeaveRoomForAGoodClientAndMemoryBounded() throws Exception {
        long heapBefore = node.heapUsedAfterGcKib(), rssBefore = node.rssKib();
        int applicationsBefore = (int) RawCryptoki.describe(node).getApplications();
        List<SSLSocket> idle = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SSLSocket>> opening = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                opening.add(pool.submit(() -> {
                    SSLSocket s = RawTls.connect(node.address());
                    s.getOutputStream().write(RawTls.HTTP2_PREFACE_AND_SETTINGS);
                    s.getOutputStream().flush();
                    return s;
                }));
            }
            for (Future<SSLSocket> f : opening) {
                idle.add(f.get(2, TimeUnit.MINUTES));
            }
            RawCryptoki.goodClientWorks(node, "1,000 idle connections opened");
            long heapHolding = node.heapUsedAfterGcKib(), rssHolding = node.rssKib();
            System.out.printf("node heap after GC: %d KiB before, %d KiB holding 1,000 idle connections; RSS %d -> %d KiB%n",
                    heapBefore, heapHolding, rssBefore, rssHolding);
            // Generous: measured ~13 KiB per idle connection (13 MiB for 1,000); 128 KiB each would be a leak or a design fault.
            assertTrue(heapHolding - heapBefore < 128 * 1024, "1,000 idle connections hold "
                    + (heapHolding - heapBefore) / 1024 + " MiB of the node's heap");
        } finally {
            for (SSLSocket s : idle) {
                s.close();
            }
            pool.shutdownNow();
        }
        awaitDescription(d -> d.getApplications() <= applicationsBefore, "the node to close the 1,000 applications");
        long heapAfter = node.heapUsedAfterGcKib();
        System.out.printf("node heap after GC once they closed: %d KiB; RSS %d KiB%n", heapAfter, node.rssKib());
        assertTrue(heapAfter - heapBefore < 64 * 1024, "closed connections left " + (heapAfter - heapBefore) / 1024
                + " MiB reachable in the node's heap");
        RawCryptoki.goodClientWorks(node, "1,000 idle connections closed");
    }

    @Test
    void absurdLengthsAndHandlesGetPkcs11ErrorsNotACrash() {
        try (RawCryptoki c = new RawCryptoki(node.channel(), 60)) {
            long s = c.loggedInSession();
            long key = c.ok(Request.newBuilder().setGenerateKey(GenerateKey.newBuilder().setSession(s)
                    .setMechanism(Mechanism.newBuilder().setType(CKM_AES_KEY_GEN))
                    .addTemplate(ulong(CKA_VALUE_LEN, 16)).addTemplate(bool(CKA_ENCRYPT)).addTemplate(flag(CKA_TOKEN, false)))
                    .build(), "C_GenerateKey AES-128").getNumber();

            // A caller's buffer of 2^63 or 2^64-1 bytes: the node allocates what the output needs, not what was offered.
            for (long capacity : new long[] {TWO_TO_63, MAX_UINT64, Integer.MAX_VALUE + 1L}) {
                c.ok(init(s, CKM_AES_ECB, key).build(), "C_EncryptInit");
                Response r = c.ok(Request.newBuilder().setEncrypt(Crypt.newBuilder().setSession(s)
                        .setInput(ByteString.copyFrom(new byte[16])).setOut(OutputBuffer.newBuilder().setCapacity(capacity)))
                        .build(), "C_Encrypt into a buffer of " + Long.toUnsignedString(capacity) + " bytes");
                assertEquals(16, r.getOutput().getLength());
                assertEquals(16, r.getOutput().getData().size());
            }

            // Random bytes by the exabyte, or past what one message can carry: an error, never an allocation.
            for (long n : new long[] {TWO_TO_63, MAX_UINT64, 1L << 31, 1L << 30}) {
                Response r = c.call(Request.newBuilder().setGenerateRandom(SessionNumber.newBuilder().setSession(s)
                        .setNumber(n)).build());
                assertNotEquals(RawCryptoki.CKR_OK, r.getRv(), "C_GenerateRandom of " + Long.toUnsignedString(n) + " bytes");
                assertNotEquals(CKR_GENERAL_ERROR, r.getRv(), "an explained refusal, not an accident: " + r.getMessage());
                node.assertAlive("C_GenerateRandom of " + Long.toUnsignedString(n) + " bytes");
            }

            // ulMaxObjectCount of 2^63: only what there is comes back.
            c.ok(Request.newBuilder().setFindObjectsInit(SessionTemplate.newBuilder().setSession(s)).build(), "C_FindObjectsInit");
            Response found = c.ok(Request.newBuilder().setFindObjects(SessionNumber.newBuilder().setSession(s).setNumber(TWO_TO_63))
                    .build(), "C_FindObjects of up to 2^63 handles");
            assertTrue(found.getHandles().getHandlesList().contains(key), found.toString());
            c.ok(Request.newBuilder().setFindObjectsFinal(Session.newBuilder().setSession(s)).build(), "C_FindObjectsFinal");

            // 200,000 attribute types in one C_GetAttributeValue: one answer each.
            GetAttributeValue.Builder many = GetAttributeValue.newBuilder().setSession(s).setObject(key);
            for (int i = 0; i < 200_000; i++) {
                many.addTypes(CKA_LABEL);
            }
            Response values = c.ok(Request.newBuilder().setGetAttributeValue(many).build(), "C_GetAttributeValue of 200,000 types");
            assertEquals(200_000, values.getAttributeValues().getValuesCount());

            // A template of 100,000 attributes (all CKA_LABEL): refused as a template, not as an accident.
            CreateObject.Builder big = CreateObject.newBuilder().setSession(s);
            for (int i = 0; i < 100_000; i++) {
                big.addTemplate(Attribute.newBuilder().setType(CKA_LABEL).setValue(ByteString.copyFromUtf8("x" + i)));
            }
            Response created = c.call(Request.newBuilder().setCreateObject(big).build());
            assertTrue(Set.of(0xD0L, 0xD1L, 0x12L, 0x13L, CKR_ARGUMENTS_BAD).contains(created.getRv()),
                    "C_CreateObject with 100,000 attributes: rv 0x" + Long.toHexString(created.getRv()) + " " + created.getMessage());

            // The largest handles and numbers there are: the CK_RV the specification lists for an invalid one.
            expectRv(c, CKR_SESSION_HANDLE_INVALID, Request.newBuilder()
                    .setGetSessionInfo(Session.newBuilder().setSession(MAX_UINT64)).build(), "C_GetSessionInfo(2^64-1)");
            expectRv(c, CKR_OBJECT_HANDLE_INVALID, Request.newBuilder()
                    .setDestroyObject(SessionObject.newBuilder().setSession(s).setObject(MAX_UINT64)).build(), "C_DestroyObject(2^64-1)");
            expectRv(c, CKR_KEY_HANDLE_INVALID, init(s, CKM_AES_ECB, MAX_UINT64).build(), "C_EncryptInit(key 2^64-1)");
            expectRv(c, CKR_SLOT_ID_INVALID, Request.newBuilder().setGetSlotInfo(Slot.newBuilder().setSlot(MAX_UINT64)).build(),
                    "C_GetSlotInfo(2^64-1)");
            expectRv(c, CKR_MECHANISM_INVALID, Request.newBuilder().setGetMechanismInfo(GetMechanismInfo.newBuilder()
                    .setSlot(0).setMechanism(MAX_UINT64)).build(), "C_GetMechanismInfo(0, 2^64-1)");
            long fresh = c.openSession();
            expectRv(c, CKR_USER_TYPE_INVALID, Request.newBuilder().setLogin(Login.newBuilder().setSession(fresh)
                    .setUserType(MAX_UINT64).setPin(ByteString.copyFromUtf8(NetworkNode.PIN))).build(), "C_Login(user type 2^64-1)");

            // No function at all, and a function from a newer protocol (a field number this node does not know).
            assertRefusedCleanly(c, Request.getDefaultInstance(), "an empty Request");
            Request unknown = Request.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(999, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("later")).build())
                    .build()).build();
            assertRefusedCleanly(c, unknown, "a Request whose function is field 999");

            // The connection is still a working application after all that.
            c.ok(Request.newBuilder().setGetSessionInfo(Session.newBuilder().setSession(s)).build(), "C_GetSessionInfo after the abuse");
        }
        RawCryptoki.goodClientWorks(node, "calls with absurd lengths and handles");
    }

    @Test
    void aConnectionDroppedMidCallClosesItsApplicationAndItsSessions() throws Exception {
        NodeDescription before = RawCryptoki.describe(node);
        RawCryptoki c = new RawCryptoki(node.channel(), 120);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        try {
            long s = c.loggedInSession();
            c.openSession();
            c.openSession();
            NodeDescription during = RawCryptoki.describe(node);
            assertTrue(during.getSessions() >= before.getSessions() + 3, "the node counts the 3 new sessions: " + during);
            // A slow call (an RSA-4096 key pair), and the connection cut under it.
            Request slow = Request.newBuilder().setGenerateKeyPair(GenerateKeyPair.newBuilder().setSession(s)
                    .setMechanism(Mechanism.newBuilder().setType(CKM_RSA_PKCS_KEY_PAIR_GEN))
                    .addPublicTemplate(ulong(CKA_MODULUS_BITS, 4096))
                    .addPublicTemplate(Attribute.newBuilder().setType(CKA_PUBLIC_EXPONENT).setValue(ByteString.copyFrom(new byte[] {1, 0, 1})))
                    .addPrivateTemplate(bool(CKA_SIGN))).build();
            c.asyncStub().call(slow, new StreamObserver<>() {
                @Override public void onNext(Response r) { pending.complete(r); }
                @Override public void onError(Throwable t) { pending.complete(t); }
                @Override public void onCompleted() { }
            });
            NetworkNode.sleep(150);
        } finally {
            c.close();   // shutdownNow: the TCP connection goes, mid-call
        }
        pending.get(30, TimeUnit.SECONDS);
        NodeDescription after = awaitDescription(d -> d.getSessions() <= before.getSessions()
                && d.getApplications() <= before.getApplications(), "the node to close the dropped application's sessions");
        assertEquals(before.getSessions(), after.getSessions(), after.toString());
        RawCryptoki.goodClientWorks(node, "a connection dropped mid-call");
    }

    // ---- helpers

    private static Request.Builder init(long session, long mechanism, long key) {
        return Request.newBuilder().setEncryptInit(OperationInit.newBuilder().setSession(session)
                .setMechanism(Mechanism.newBuilder().setType(mechanism)).setKey(key));
    }

    private static Attribute ulong(long type, long value) {
        byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        return Attribute.newBuilder().setType(type).setValue(ByteString.copyFrom(le)).build();
    }

    private static Attribute bool(long type) {
        return flag(type, true);
    }

    private static Attribute flag(long type, boolean value) {
        return Attribute.newBuilder().setType(type).setValue(ByteString.copyFrom(new byte[] {(byte) (value ? 1 : 0)})).build();
    }

    private static void expectRv(RawCryptoki c, long rv, Request r, String what) {
        Response resp = c.call(r);
        assertEquals("0x" + Long.toHexString(rv), "0x" + Long.toHexString(resp.getRv()), what + ": " + resp.getMessage());
    }

    /** Not a PKCS#11 call: a CK_RV with a reason, or a gRPC status that says the request was invalid. */
    private static void assertRefusedCleanly(RawCryptoki c, Request r, String what) {
        try {
            Response resp = c.call(r);
            assertNotEquals(RawCryptoki.CKR_OK, resp.getRv(), what + " answered CKR_OK");
            assertTrue(resp.getRv() == CKR_FUNCTION_NOT_SUPPORTED || resp.getRv() == CKR_ARGUMENTS_BAD,
                    what + ": rv 0x" + Long.toHexString(resp.getRv()) + " " + resp.getMessage());
        } catch (StatusRuntimeException e) {
            assertTrue(Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.UNIMPLEMENTED).contains(e.getStatus().getCode()),
                    what + " ended as " + e.getStatus() + " (an accident, not a refusal)");
        }
        node.assertAlive(what);
    }

    private static StatusRuntimeException expectStatus(Runnable call, String what) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        return fail(what + " was accepted");
    }

    private static NodeDescription awaitDescription(Predicate<NodeDescription> done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        NodeDescription d = RawCryptoki.describe(node);
        while (!done.test(d) && System.nanoTime() < deadline) {
            NetworkNode.sleep(250);
            d = RawCryptoki.describe(node);
        }
        assertTrue(done.test(d), "waited 30 s for " + what + ": " + d);
        return d;
    }
}
