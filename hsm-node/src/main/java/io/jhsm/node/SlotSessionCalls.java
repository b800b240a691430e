package io.jhsm.node;

import static io.jhsm.protocol.WireBytes.bytes;
import static io.jhsm.protocol.WireBytes.optional;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.protocol.Infos;
import io.jhsm.protocol.v1.Login;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionBytes;
import io.jhsm.protocol.v1.SessionNumber;
import io.jhsm.protocol.v1.SessionOutput;
import io.jhsm.protocol.v1.SetOperationState;
import com.google.protobuf.ByteString;

/** Slots and tokens, sessions and login, random numbers (the engine's slot/session/random families). */
final class SlotSessionCalls {
    private SlotSessionCalls() {}

    /** Random bytes one response may carry; far below the inbound/outbound message bound. */
    static final long MAX_RANDOM = 1 << 20;

    static Response.Builder info(Cryptoki e) {
        return Response.newBuilder().setInfo(Infos.toProto(e.C_GetInfo()));
    }

    static Response.Builder initToken(Cryptoki e, io.jhsm.protocol.v1.InitToken r) {
        e.C_InitToken(r.getSlot(), optional(r.hasSoPin(), r.getSoPin()), bytes(r.getLabel()));
        return Replies.none();
    }

    /** C_InitPIN's PIN may be NULL (protected authentication path): absent on the wire. */
    static Response.Builder initPin(Cryptoki e, SessionBytes r) {
        e.C_InitPIN(r.getSession(), optional(r.hasData(), r.getData()));
        return Replies.none();
    }

    static Response.Builder setPin(Cryptoki e, io.jhsm.protocol.v1.SetPin r) {
        e.C_SetPIN(r.getSession(), optional(r.hasOldPin(), r.getOldPin()), optional(r.hasNewPin(), r.getNewPin()));
        return Replies.none();
    }

    /**
     * Never blocks on the node: a blocking wait would hold a call until the connection ends. No slot
     * event ever happens (no removable tokens), so the client waits locally and the node only answers
     * the non-blocking form.
     */
    static Response.Builder waitForSlotEvent(Cryptoki e, long flags) {
        return Replies.number(e.C_WaitForSlotEvent(flags | CKF.DONT_BLOCK));
    }

    static Response.Builder login(Cryptoki e, Login r) {
        byte[] pin = optional(r.hasPin(), r.getPin());
        if (r.hasUsername()) {
            e.C_LoginUser(r.getSession(), r.getUserType(), pin, bytes(r.getUsername()));
        } else {
            e.C_Login(r.getSession(), r.getUserType(), pin);
        }
        return Replies.none();
    }

    static Response.Builder getOperationState(Cryptoki e, SessionOutput r) {
        return Replies.output(r.hasOut(), r.getOut(), out -> e.C_GetOperationState(r.getSession(), out));
    }

    static Response.Builder setOperationState(Cryptoki e, SetOperationState r) {
        e.C_SetOperationState(r.getSession(), bytes(r.getState()), r.getEncryptionKey(), r.getAuthenticationKey());
        return Replies.none();
    }

    static Response.Builder seedRandom(Cryptoki e, SessionBytes r) {
        e.C_SeedRandom(r.getSession(), bytes(r.getData()));
        return Replies.none();
    }

    static Response.Builder generateRandom(Cryptoki e, SessionNumber r) {
        if (Long.compareUnsigned(r.getNumber(), MAX_RANDOM) > 0) {
            throw new CkException(CKR.ARGUMENTS_BAD, Long.toUnsignedString(r.getNumber())
                    + " random bytes in one call; a network HSM returns at most " + MAX_RANDOM + " per call: ask in parts");
        }
        byte[] random = new byte[(int) r.getNumber()];
        e.C_GenerateRandom(r.getSession(), random);
        return Response.newBuilder().setRandom(ByteString.copyFrom(random));
    }
}
