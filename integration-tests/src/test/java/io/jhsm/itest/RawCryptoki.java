package io.jhsm.itest;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.DescribeRequest;
import io.jhsm.protocol.v1.Login;
import io.jhsm.protocol.v1.ManagementGrpc;
import io.jhsm.protocol.v1.NodeDescription;
import io.jhsm.protocol.v1.OpenSession;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionNumber;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The node's protocol spoken directly, as a hostile or careless client may: any Request, including those no
 * PKCS#11 caller can express (lengths near 2^64, no function at all). One instance is one connection, so one
 * PKCS#11 application on the node.
 */
final class RawCryptoki implements AutoCloseable {
    static final long CKF_RW_SERIAL = 0x2 | 0x4;
    static final long CKR_OK = 0;

    private final ManagedChannel channel;
    private final long deadlineSeconds;

    RawCryptoki(ManagedChannel channel, long deadlineSeconds) {
        this.channel = channel;
        this.deadlineSeconds = deadlineSeconds;
    }

    ManagedChannel channel() {
        return channel;
    }

    CryptokiGrpc.CryptokiBlockingStub stub() {
        return CryptokiGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .withMaxInboundMessageSize(64 << 20);
    }

    CryptokiGrpc.CryptokiStub asyncStub() {
        return CryptokiGrpc.newStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    Response call(Request r) {
        return stub().call(r);
    }

    /** Calls and fails the test unless the node answered CKR_OK. */
    Response ok(Request r, String what) {
        Response resp = call(r);
        if (resp.getRv() != CKR_OK) {
            throw new AssertionError(what + ": rv 0x" + Long.toHexString(resp.getRv()) + " " + resp.getMessage());
        }
        return resp;
    }

    long openSession() {
        return ok(Request.newBuilder().setOpenSession(OpenSession.newBuilder().setSlot(0).setFlags(CKF_RW_SERIAL)).build(),
                "C_OpenSession").getNumber();
    }

    /** A session logged in as the cluster's crypto user. */
    long loggedInSession() {
        long s = openSession();
        ok(Request.newBuilder().setLogin(Login.newBuilder().setSession(s).setUserType(NetworkNode.CKU_USER)
                .setPin(ByteString.copyFrom(NetworkNode.PIN, StandardCharsets.UTF_8))).build(), "C_Login");
        return s;
    }

    /** What a good client does: a session, a login, random bytes of the length asked. */
    static void goodClientWorks(NetworkNode node, String after) {
        node.assertAlive(after);
        try (RawCryptoki good = new RawCryptoki(node.channel(), 30)) {
            long s = good.loggedInSession();
            Response r = good.ok(Request.newBuilder().setGenerateRandom(SessionNumber.newBuilder().setSession(s).setNumber(32))
                    .build(), "C_GenerateRandom after " + after);
            if (r.getRandom().size() != 32) {
                throw new AssertionError("C_GenerateRandom gave " + r.getRandom().size() + " bytes after " + after);
            }
        } catch (RuntimeException e) {
            throw new AssertionError("a good client no longer works after " + after + ": " + e + "\nnode log:\n" + node.log(), e);
        }
    }

    /** The node's own count of applications (connections) and sessions. */
    static NodeDescription describe(NetworkNode node) {
        try (RawCryptoki c = new RawCryptoki(node.channel(), 30)) {
            return ManagementGrpc.newBlockingStub(c.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .describe(DescribeRequest.getDefaultInstance());
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
