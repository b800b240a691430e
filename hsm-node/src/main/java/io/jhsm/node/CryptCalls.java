package io.jhsm.node;

import static io.jhsm.protocol.WireBytes.bytes;

import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.v1.Crypt;
import io.jhsm.protocol.v1.OperationInit;
import io.jhsm.protocol.v1.Output;
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

    /**
     * C_EncryptInit: a CK_GCM_PARAMS comes back as the engine left it, since a cloudhsm token writes its generated
     * IV into pIv (the client copies it to the caller's); every other parameter is input only.
     */
    static Response.Builder encryptInit(Cryptoki e, OperationInit r) {
        Mechanism m = mechanism(r);
        e.C_EncryptInit(r.getSession(), m, r.getKey());
        return m != null && m.params() instanceof MechanismParams.Gcm g ? Replies.withParams(Output.newBuilder(), g) : Replies.none();
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
