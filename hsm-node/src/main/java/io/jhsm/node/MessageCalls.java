package io.jhsm.node;

import static io.jhsm.protocol.WireBytes.bytes;
import static io.jhsm.protocol.WireBytes.optional;

import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.v1.MessageBegin;
import io.jhsm.protocol.v1.MessageCrypt;
import io.jhsm.protocol.v1.MessageNext;
import io.jhsm.protocol.v1.MessageVerify;
import io.jhsm.protocol.v1.Response;

/**
 * The PKCS#11 3.0 message-based functions. The per-message parameter is in/out (generated IV, tag,
 * MAC): the engine fills its arrays in place, and Output.params carries them back.
 */
final class MessageCalls {
    private MessageCalls() {}

    @FunctionalInterface
    interface Crypt {
        int call(long session, MechanismParams param, byte[] associatedData, byte[] in, byte[] out);
    }

    @FunctionalInterface
    interface Next {
        int call(long session, MechanismParams param, byte[] in, byte[] out, long flags);
    }

    @FunctionalInterface
    interface Begin {
        void call(long session, MechanismParams param, byte[] associatedData);
    }

    static MechanismParams param(boolean present, io.jhsm.protocol.v1.MechanismParams p) {
        return present ? Mechanisms.fromProto(p) : null;
    }

    static Response.Builder crypt(Crypt f, MessageCrypt r) {
        MechanismParams p = param(r.hasParams(), r.getParams());
        byte[] ad = bytes(r.getAssociatedData());
        byte[] in = bytes(r.getInput());
        return Replies.withParams(Replies.produce(r.hasOut(), r.getOut(), out -> f.call(r.getSession(), p, ad, in, out)), p);
    }

    static Response.Builder begin(Begin f, MessageBegin r) {
        f.call(r.getSession(), param(r.hasParams(), r.getParams()), bytes(r.getAssociatedData()));
        return Replies.none();
    }

    static Response.Builder next(Next f, MessageNext r) {
        MechanismParams p = param(r.hasParams(), r.getParams());
        byte[] in = bytes(r.getInput());
        return Replies.withParams(Replies.produce(r.hasOut(), r.getOut(), out -> f.call(r.getSession(), p, in, out, r.getFlags())), p);
    }

    static Response.Builder signMessage(Cryptoki e, MessageCrypt r) {
        MechanismParams p = param(r.hasParams(), r.getParams());
        byte[] data = bytes(r.getInput());
        return Replies.withParams(Replies.produce(r.hasOut(), r.getOut(), out -> e.C_SignMessage(r.getSession(), p, data, out)), p);
    }

    static Response.Builder signMessageBegin(Cryptoki e, MessageBegin r) {
        e.C_SignMessageBegin(r.getSession(), param(r.hasParams(), r.getParams()));
        return Replies.none();
    }

    /** flags 0: a part that only adds data (C: pulSignatureLen NULL); otherwise the last part, signature wanted. */
    static Response.Builder signMessageNext(Cryptoki e, MessageNext r) {
        MechanismParams p = param(r.hasParams(), r.getParams());
        byte[] data = bytes(r.getInput());
        if (r.getFlags() == 0) {
            e.C_SignMessageNext(r.getSession(), p, data, false, null);
            return Replies.none();
        }
        return Replies.withParams(Replies.produce(r.hasOut(), r.getOut(), out -> e.C_SignMessageNext(r.getSession(), p, data, true, out)), p);
    }

    static Response.Builder verifyMessage(Cryptoki e, MessageVerify r) {
        e.C_VerifyMessage(r.getSession(), param(r.hasParams(), r.getParams()), bytes(r.getData()), bytes(r.getSignature()));
        return Replies.none();
    }

    static Response.Builder verifyMessageBegin(Cryptoki e, MessageBegin r) {
        e.C_VerifyMessageBegin(r.getSession(), param(r.hasParams(), r.getParams()));
        return Replies.none();
    }

    static Response.Builder verifyMessageNext(Cryptoki e, MessageVerify r) {
        e.C_VerifyMessageNext(r.getSession(), param(r.hasParams(), r.getParams()), bytes(r.getData()),
                optional(r.hasSignature(), r.getSignature()));
        return Replies.none();
    }
}
