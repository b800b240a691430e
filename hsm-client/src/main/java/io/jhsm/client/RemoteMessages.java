package io.jhsm.client;

import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.v1.Output;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.util.function.Function;

/**
 * The message-based functions whose output and per-message parameter come back: the parameter's
 * arrays (IV, tag, nonce, MAC) are copied into the caller's, as the engine fills them in process.
 */
final class RemoteMessages {
    private final Function<Request.Builder, Response> call;

    RemoteMessages(Function<Request.Builder, Response> call) {
        this.call = call;
    }

    int encrypt(long h, MechanismParams p, byte[] associatedData, byte[] in, byte[] out) {
        return answer(Request.newBuilder().setEncryptMessage(Requests.messageCrypt(h, p, associatedData, in, out)), p, out);
    }

    int decrypt(long h, MechanismParams p, byte[] associatedData, byte[] in, byte[] out) {
        return answer(Request.newBuilder().setDecryptMessage(Requests.messageCrypt(h, p, associatedData, in, out)), p, out);
    }

    int encryptNext(long h, MechanismParams p, byte[] in, byte[] out, long flags) {
        return answer(Request.newBuilder().setEncryptMessageNext(Requests.messageNext(h, p, in, out, flags)), p, out);
    }

    int decryptNext(long h, MechanismParams p, byte[] in, byte[] out, long flags) {
        return answer(Request.newBuilder().setDecryptMessageNext(Requests.messageNext(h, p, in, out, flags)), p, out);
    }

    int sign(long h, MechanismParams p, byte[] data, byte[] signature) {
        return answer(Request.newBuilder().setSignMessage(Requests.messageCrypt(h, p, null, data, signature)), p, signature);
    }

    /** Not last: a part that only adds data (the signature is ignored, 0 returned), as in process. */
    int signNext(long h, MechanismParams p, byte[] data, boolean last, byte[] signature) {
        if (!last) {
            call.apply(Request.newBuilder().setSignMessageNext(Requests.messageNext(h, p, data, null, 0)));
            return 0;
        }
        return answer(Request.newBuilder().setSignMessageNext(Requests.messageNext(h, p, data, signature, 1)), p, signature);
    }

    private int answer(Request.Builder request, MechanismParams p, byte[] out) {
        Output o = call.apply(request).getOutput();
        if (o.hasParams()) {
            MessageParamsCopy.back(p, o.getParams());
        }
        return Answers.output(o, out);
    }
}
