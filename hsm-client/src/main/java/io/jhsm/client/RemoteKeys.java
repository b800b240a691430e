package io.jhsm.client;

import static io.jhsm.client.Requests.template;
import static io.jhsm.protocol.WireBytes.of;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.v1.DecapsulateKey;
import io.jhsm.protocol.v1.DeriveKey;
import io.jhsm.protocol.v1.EncapsulateKey;
import io.jhsm.protocol.v1.GenerateKey;
import io.jhsm.protocol.v1.GenerateKeyPair;
import io.jhsm.protocol.v1.Output;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.UnwrapKey;
import io.jhsm.protocol.v1.WrapKey;
import java.util.List;
import java.util.function.Function;

/** Key generation, wrapping, derivation, encapsulation and random numbers over the wire. */
final class RemoteKeys {
    /** A derived key whose phKey the node's engine did not call. */
    private static final long NOT_SET = -1;
    /** Random bytes per call: the node's bound (hsm-node SlotSessionCalls.MAX_RANDOM). */
    static final int RANDOM_PER_CALL = 1 << 20;

    private final Function<Request.Builder, Response> call;

    RemoteKeys(Function<Request.Builder, Response> call) {
        this.call = call;
    }

    long generateKey(long h, Mechanism m, List<Attribute> t) {
        return call.apply(Request.newBuilder().setGenerateKey(GenerateKey.newBuilder().setSession(h)
                .setMechanism(Mechanisms.toProto(m)).addAllTemplate(template(t)))).getNumber();
    }

    long[] generateKeyPair(long h, Mechanism m, List<Attribute> publicTemplate, List<Attribute> privateTemplate) {
        return Answers.handles(call.apply(Request.newBuilder().setGenerateKeyPair(GenerateKeyPair.newBuilder().setSession(h)
                .setMechanism(Mechanisms.toProto(m)).addAllPublicTemplate(template(publicTemplate))
                .addAllPrivateTemplate(template(privateTemplate)))));
    }

    int wrap(long h, Mechanism m, long wrappingKey, long key, byte[] associatedData, byte[] out, boolean authenticated) {
        WrapKey.Builder b = WrapKey.newBuilder().setSession(h).setMechanism(Mechanisms.toProto(m)).setWrappingKey(wrappingKey)
                .setKey(key).setAssociatedData(of(associatedData));
        if (out != null) {
            b.setOut(Requests.buffer(out));
        }
        Request.Builder r = authenticated ? Request.newBuilder().setWrapKeyAuthenticated(b) : Request.newBuilder().setWrapKey(b);
        Output o = call.apply(r).getOutput();
        if (o.hasParams()) {
            MessageParamsCopy.back(m.params(), o.getParams()); // a cloudhsm token's CKM_AES_GCM IV
        }
        return Answers.output(o, out);
    }

    long unwrap(long h, Mechanism m, long unwrappingKey, byte[] wrapped, List<Attribute> t, byte[] associatedData,
                boolean authenticated) {
        UnwrapKey.Builder b = UnwrapKey.newBuilder().setSession(h).setMechanism(Mechanisms.toProto(m))
                .setUnwrappingKey(unwrappingKey).setWrappedKey(of(wrapped)).addAllTemplate(template(t))
                .setAssociatedData(of(associatedData));
        Request.Builder r = authenticated ? Request.newBuilder().setUnwrapKeyAuthenticated(b) : Request.newBuilder().setUnwrapKey(b);
        return call.apply(r).getNumber();
    }

    /**
     * The base key's handle; each additional derived key's (SP 800-108) goes to its phKey, as the engine
     * hands them in process: all of them on success, and on failure only what the node's engine handed
     * over (CK_INVALID_HANDLE for the key whose template failed).
     */
    long derive(long h, Mechanism m, long baseKey, List<Attribute> t) {
        List<DerivedKey> extra = m.params() == null ? List.of() : m.params().additionalDerivedKeys();
        Request.Builder r = Request.newBuilder().setDeriveKey(DeriveKey.newBuilder().setSession(h)
                .setMechanism(Mechanisms.toProto(m)).setBaseKey(baseKey).addAllTemplate(template(t)));
        Response answer;
        try {
            answer = call.apply(r);
        } catch (CkException failure) {
            if (failure instanceof RemoteFailure f) {
                handOver(extra, f.response);
            }
            throw failure;
        }
        handOver(extra, answer);
        return answer.getHandles().getHandles(0);
    }

    private static void handOver(List<DerivedKey> extra, Response r) {
        for (int i = 0; i < extra.size() && i + 1 < r.getHandles().getHandlesCount(); i++) {
            long handle = r.getHandles().getHandles(i + 1);
            if (handle != NOT_SET) {
                extra.get(i).phKey().accept(handle);
            }
        }
    }

    Encapsulation encapsulate(long h, Mechanism m, long publicKey, List<Attribute> t, byte[] ciphertext) {
        EncapsulateKey.Builder b = EncapsulateKey.newBuilder().setSession(h).setMechanism(Mechanisms.toProto(m))
                .setPublicKey(publicKey).addAllTemplate(template(t));
        if (ciphertext != null) {
            b.setOut(Requests.buffer(ciphertext));
        }
        var output = call.apply(Request.newBuilder().setEncapsulateKey(b)).getOutput();
        return new Encapsulation(Answers.output(output, ciphertext), output.getHandle());
    }

    long decapsulate(long h, Mechanism m, long privateKey, List<Attribute> t, byte[] ciphertext) {
        return call.apply(Request.newBuilder().setDecapsulateKey(DecapsulateKey.newBuilder().setSession(h)
                .setMechanism(Mechanisms.toProto(m)).setPrivateKey(privateKey).addAllTemplate(template(t))
                .setCiphertext(of(ciphertext)))).getNumber();
    }

    /** More than the node returns per call is asked in parts (one round trip each); C_GenerateRandom has no length limit. */
    void generateRandom(long h, byte[] out) {
        int done = 0;
        do {
            int n = Math.min(RANDOM_PER_CALL, out.length - done);
            Response r = call.apply(Request.newBuilder().setGenerateRandom(Requests.sessionNumber(h, n)));
            r.getRandom().copyTo(out, done);
            done += n;
        } while (done < out.length);
    }
}
