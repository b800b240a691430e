package io.jhsm.node;

import static io.jhsm.protocol.WireBytes.bytes;

import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.Templates;
import io.jhsm.protocol.v1.DecapsulateKey;
import io.jhsm.protocol.v1.DeriveKey;
import io.jhsm.protocol.v1.EncapsulateKey;
import io.jhsm.protocol.v1.GenerateKey;
import io.jhsm.protocol.v1.GenerateKeyPair;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.UnwrapKey;
import io.jhsm.protocol.v1.WrapKey;
import java.util.Arrays;

/** Key generation, wrapping, derivation and encapsulation (the engine's key families). */
final class KeyCalls {
    private KeyCalls() {}

    /** A derived key whose phKey the engine did not call (the wire's "leave the caller's variable alone"). */
    static final long NOT_SET = -1;

    static Response.Builder generateKey(Cryptoki e, GenerateKey r) {
        return Replies.number(e.C_GenerateKey(r.getSession(), Mechanisms.fromProto(r.getMechanism()),
                Templates.fromProto(r.getTemplateList())));
    }

    static Response.Builder generateKeyPair(Cryptoki e, GenerateKeyPair r) {
        return Replies.handles(e.C_GenerateKeyPair(r.getSession(), Mechanisms.fromProto(r.getMechanism()),
                Templates.fromProto(r.getPublicTemplateList()), Templates.fromProto(r.getPrivateTemplateList())));
    }

    static Response.Builder wrap(Cryptoki e, WrapKey r) {
        Mechanism m = Mechanisms.fromProto(r.getMechanism());
        Replies.Producer wrap = out -> e.C_WrapKey(r.getSession(), m, r.getWrappingKey(), r.getKey(), out);
        // a cloudhsm token writes its generated CKM_AES_GCM IV into the parameter: it goes back with the wrapped key
        return m.params() instanceof MechanismParams.Gcm g ? Replies.withParams(Replies.produce(r.hasOut(), r.getOut(), wrap), g)
                : Replies.output(r.hasOut(), r.getOut(), wrap);
    }

    static Response.Builder wrapAuthenticated(Cryptoki e, WrapKey r) {
        Mechanism m = Mechanisms.fromProto(r.getMechanism());
        byte[] ad = bytes(r.getAssociatedData());
        return Replies.output(r.hasOut(), r.getOut(),
                out -> e.C_WrapKeyAuthenticated(r.getSession(), m, r.getWrappingKey(), r.getKey(), ad, out));
    }

    static Response.Builder unwrap(Cryptoki e, UnwrapKey r) {
        return Replies.number(e.C_UnwrapKey(r.getSession(), Mechanisms.fromProto(r.getMechanism()), r.getUnwrappingKey(),
                bytes(r.getWrappedKey()), Templates.fromProto(r.getTemplateList())));
    }

    static Response.Builder unwrapAuthenticated(Cryptoki e, UnwrapKey r) {
        return Replies.number(e.C_UnwrapKeyAuthenticated(r.getSession(), Mechanisms.fromProto(r.getMechanism()),
                r.getUnwrappingKey(), bytes(r.getWrappedKey()), Templates.fromProto(r.getTemplateList()),
                bytes(r.getAssociatedData())));
    }

    /**
     * Handles: the base key's, then each additional derived key's (SP 800-108) as the engine handed it
     * to phKey. On failure the response carries the rv and the additional handles the engine did hand
     * over (CK_INVALID_HANDLE for the key whose template failed; NOT_SET for the others).
     */
    static Response.Builder derive(Cryptoki e, DeriveKey r) {
        int extra = r.getMechanism().getParams().getSp800108Kdf().getAdditionalDerivedKeysCount();
        long[] handles = new long[1 + extra];
        Arrays.fill(handles, 1, handles.length, NOT_SET);
        Mechanism m = Mechanisms.fromProto(r.getMechanism(), i -> h -> handles[1 + i] = h);
        try {
            handles[0] = e.C_DeriveKey(r.getSession(), m, r.getBaseKey(), Templates.fromProto(r.getTemplateList()));
            return Replies.handles(handles);
        } catch (CkException failure) {
            if (extra == 0) {
                throw failure;
            }
            return Replies.handles(handles).setRv(failure.rv()).setMessage(Dispatcher.detail(failure));
        }
    }

    /** Output.handle: the new key; a length query or too small a buffer makes none. */
    static Response.Builder encapsulate(Cryptoki e, EncapsulateKey r) {
        Mechanism m = Mechanisms.fromProto(r.getMechanism());
        var template = Templates.fromProto(r.getTemplateList());
        long[] key = new long[1];
        var output = Replies.produce(r.hasOut(), r.getOut(), out -> {
            Encapsulation made = e.C_EncapsulateKey(r.getSession(), m, r.getPublicKey(), template, out);
            key[0] = made.hKey();
            return made.ciphertextLength();
        });
        return Response.newBuilder().setOutput(output.setHandle(key[0]));
    }

    static Response.Builder decapsulate(Cryptoki e, DecapsulateKey r) {
        return Replies.number(e.C_DecapsulateKey(r.getSession(), Mechanisms.fromProto(r.getMechanism()), r.getPrivateKey(),
                Templates.fromProto(r.getTemplateList()), bytes(r.getCiphertext())));
    }
}
