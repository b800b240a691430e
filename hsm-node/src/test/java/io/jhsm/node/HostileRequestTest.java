package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.protocol.v1.Crypt;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.OpenSession;
import io.jhsm.protocol.v1.OperationInit;
import io.jhsm.protocol.v1.OutputBuffer;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.Session;
import io.jhsm.protocol.v1.SessionNumber;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests no honest client sends: answered with a CK_RV, nothing allocated from the client's numbers, the connection kept. */
class HostileRequestTest {
    @TempDir
    Path dir;

    @Test
    void absurdLengthsAndHandlesGetACkRvAndAllocateNothingHuge() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.port).usePlaintext().build();
            try {
                CryptokiGrpc.CryptokiBlockingStub raw = CryptokiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                long s = raw.call(Request.newBuilder().setOpenSession(OpenSession.newBuilder().setSlot(0)
                        .setFlags(CKF.SERIAL_SESSION)).build()).getNumber();

                Response random = raw.call(Request.newBuilder().setGenerateRandom(
                        SessionNumber.newBuilder().setSession(s).setNumber(1L << 40)).build());
                assertEquals(CKR.name(CKR.ARGUMENTS_BAD), CKR.name(random.getRv()), random.getMessage());

                raw.call(Request.newBuilder().setDigestInit(OperationInit.newBuilder().setSession(s)
                        .setMechanism(io.jhsm.protocol.Mechanisms.toProto(Mechanism.of(CKM.SHA256)))).build());
                Response digest = raw.call(Request.newBuilder().setDigest(Crypt.newBuilder().setSession(s)
                        .setInput(ByteString.copyFromUtf8("abc")).setOut(OutputBuffer.newBuilder().setCapacity(-1L))).build());
                assertEquals(CKR.OK, digest.getRv(), "a capacity of 2^64-1 is served from the engine's bound");
                assertEquals(32, digest.getOutput().getData().size());

                for (long bad : new long[] {0, -1, 1L << 40, s ^ (1L << 62)}) {
                    Response r = raw.call(Request.newBuilder().setCloseSession(Session.newBuilder().setSession(bad)).build());
                    assertEquals(CKR.name(CKR.SESSION_HANDLE_INVALID), CKR.name(r.getRv()), Long.toHexString(bad));
                }
                Response none = raw.call(Request.getDefaultInstance());
                assertEquals(CKR.name(CKR.FUNCTION_NOT_SUPPORTED), CKR.name(none.getRv()), "a request naming no function");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aRequestAboveTheNodesBoundIsArgumentsBadEndsItsOperationAndTheApplicationGoesOn() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            RemoteCryptoki app = node.connected();
            try {
                long s = NodeFixture.userSession(app);
                app.C_DigestInit(s, Mechanism.of(CKM.SHA256));
                assertRv(CKR.ARGUMENTS_BAD, () -> app.C_DigestUpdate(s, new byte[2 << 20]));
                assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> app.C_DigestFinal(s, new byte[32]));
                app.C_DigestInit(s, Mechanism.of(CKM.SHA256));
                app.C_DigestUpdate(s, new byte[1000]);
                assertEquals(32, app.C_DigestFinal(s, new byte[32]), "the application goes on");
            } finally {
                app.C_Finalize();
            }
        }
    }
    @Test
    void aClusterStateTheNodeCannotReadIsDeviceErrorNotAnUnknownStatus() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            node.clusterStateFailure = new IllegalStateException("state file unreadable");
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.port).usePlaintext().build();
            try {
                Response r = CryptokiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .call(Request.newBuilder().setGetInfo(io.jhsm.protocol.v1.Empty.getDefaultInstance()).build());
                assertEquals(CKR.name(CKR.DEVICE_ERROR), CKR.name(r.getRv()), r.getMessage());
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
