package io.jhsm.node;

import static io.jhsm.protocol.WireBytes.bytes;

import io.jhsm.pkcs11.Mechanism;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.v1.Crypt;
import io.jhsm.protocol.v1.OperationInit;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionOutput;

/** Encryption, decryption, digests, signatures, MACs and the dual functions: shapes shared by many functions. */
final class CryptCalls {
    private CryptCalls() {}

    @FunctionalInterface
    interface Init {
        void init(long session, Mechanism mechanism, long key);
    }

    @FunctionalInterface
    interface InOut {
        int call(long session, byte[] in, byte[] out);
    }

    @FunctionalInterface
    interface Out {
        int call(long session, byte[] out);
    }

    /** pMechanism NULL (absent) ends the active operation where the function allows it. */
    static Response.Builder init(Init f, OperationInit r) {
        f.init(r.getSession(), mechanism(r), r.getKey());
        return Replies.none();
    }

    static Mechanism mechanism(OperationInit r) {
        return r.hasMechanism() ? Mechanisms.fromProto(r.getMechanism()) : null;
    }

    static Response.Builder inOut(InOut f, Crypt r) {
        byte[] in = bytes(r.getInput());
        return Replies.output(r.hasOut(), r.getOut(), out -> f.call(r.getSession(), in, out));
    }

    static Response.Builder out(Out f, SessionOutput r) {
        return Replies.output(r.hasOut(), r.getOut(), out -> f.call(r.getSession(), out));
    }
}
