package io.jhsm.client;

import static io.jhsm.protocol.WireBytes.of;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.Templates;
import io.jhsm.protocol.v1.Crypt;
import io.jhsm.protocol.v1.InitToken;
import io.jhsm.protocol.v1.Login;
import io.jhsm.protocol.v1.MessageBegin;
import io.jhsm.protocol.v1.MessageCrypt;
import io.jhsm.protocol.v1.MessageNext;
import io.jhsm.protocol.v1.MessageVerify;
import io.jhsm.protocol.v1.OperationInit;
import io.jhsm.protocol.v1.OutputBuffer;
import io.jhsm.protocol.v1.Session;
import io.jhsm.protocol.v1.SessionBytes;
import io.jhsm.protocol.v1.SessionNumber;
import io.jhsm.protocol.v1.SessionObject;
import io.jhsm.protocol.v1.SessionOutput;
import io.jhsm.protocol.v1.SetPin;
import io.jhsm.protocol.v1.Slot;
import io.jhsm.protocol.v1.VerifySignatureInit;
import java.util.List;

/** The argument shapes several functions share, as the protocol lays them out. */
final class Requests {
    private Requests() {}

    /** null (pBuf NULL, a length query) leaves the buffer absent. */
    static OutputBuffer buffer(byte[] out) {
        return OutputBuffer.newBuilder().setCapacity(out.length).build();
    }

    static Slot slot(long slot) {
        return Slot.newBuilder().setSlot(slot).build();
    }

    static Session session(long h) {
        return Session.newBuilder().setSession(h).build();
    }

    static SessionNumber sessionNumber(long h, long n) {
        return SessionNumber.newBuilder().setSession(h).setNumber(n).build();
    }

    static SessionObject sessionObject(long h, long object) {
        return SessionObject.newBuilder().setSession(h).setObject(object).build();
    }

    /** data null: absent (a PIN not given); otherwise the bytes. */
    static SessionBytes sessionBytes(long h, byte[] data) {
        SessionBytes.Builder b = SessionBytes.newBuilder().setSession(h);
        if (data != null) {
            b.setData(of(data));
        }
        return b.build();
    }

    static SessionOutput sessionOutput(long h, byte[] out) {
        SessionOutput.Builder b = SessionOutput.newBuilder().setSession(h);
        if (out != null) {
            b.setOut(buffer(out));
        }
        return b.build();
    }

    static Crypt crypt(long h, byte[] in, byte[] out) {
        Crypt.Builder b = Crypt.newBuilder().setSession(h).setInput(of(in));
        if (out != null) {
            b.setOut(buffer(out));
        }
        return b.build();
    }

    /** mechanism null (pMechanism NULL) leaves it absent. */
    static OperationInit init(long h, Mechanism mechanism, long key) {
        OperationInit.Builder b = OperationInit.newBuilder().setSession(h).setKey(key);
        if (mechanism != null) {
            b.setMechanism(Mechanisms.toProto(mechanism));
        }
        return b.build();
    }

    static List<io.jhsm.protocol.v1.Attribute> template(List<Attribute> t) {
        return Templates.toProto(t);
    }

    static MessageCrypt messageCrypt(long h, MechanismParams p, byte[] associatedData, byte[] in, byte[] out) {
        MessageCrypt.Builder b = MessageCrypt.newBuilder().setSession(h).setAssociatedData(of(associatedData)).setInput(of(in));
        if (p != null) {
            b.setParams(Mechanisms.toProto(p));
        }
        if (out != null) {
            b.setOut(buffer(out));
        }
        return b.build();
    }

    static MessageBegin messageBegin(long h, MechanismParams p, byte[] associatedData) {
        MessageBegin.Builder b = MessageBegin.newBuilder().setSession(h).setAssociatedData(of(associatedData));
        if (p != null) {
            b.setParams(Mechanisms.toProto(p));
        }
        return b.build();
    }

    static MessageNext messageNext(long h, MechanismParams p, byte[] in, byte[] out, long flags) {
        MessageNext.Builder b = MessageNext.newBuilder().setSession(h).setInput(of(in)).setFlags(flags);
        if (p != null) {
            b.setParams(Mechanisms.toProto(p));
        }
        if (out != null) {
            b.setOut(buffer(out));
        }
        return b.build();
    }

    static MessageVerify messageVerify(long h, MechanismParams p, byte[] data, byte[] signature) {
        MessageVerify.Builder b = MessageVerify.newBuilder().setSession(h).setData(of(data));
        if (p != null) {
            b.setParams(Mechanisms.toProto(p));
        }
        if (signature != null) {
            b.setSignature(of(signature));
        }
        return b.build();
    }
    /** so_pin absent: pPin NULL (protected authentication path). */
    static InitToken initToken(long slot, byte[] soPin, byte[] label) {
        InitToken.Builder b = InitToken.newBuilder().setSlot(slot).setLabel(of(label));
        if (soPin != null) {
            b.setSoPin(of(soPin));
        }
        return b.build();
    }

    static SetPin setPin(long h, byte[] oldPin, byte[] newPin) {
        SetPin.Builder b = SetPin.newBuilder().setSession(h);
        if (oldPin != null) {
            b.setOldPin(of(oldPin));
        }
        if (newPin != null) {
            b.setNewPin(of(newPin));
        }
        return b.build();
    }

    /** pin null: absent (protected authentication path). */
    static Login.Builder login(long h, long userType, byte[] pin) {
        Login.Builder b = Login.newBuilder().setSession(h).setUserType(userType);
        if (pin != null) {
            b.setPin(of(pin));
        }
        return b;
    }

    /** mechanism null ends the active verification. */
    static VerifySignatureInit verifySignatureInit(long h, Mechanism mechanism, long key, byte[] signature) {
        VerifySignatureInit.Builder b = VerifySignatureInit.newBuilder().setSession(h).setKey(key).setSignature(of(signature));
        if (mechanism != null) {
            b.setMechanism(Mechanisms.toProto(mechanism));
        }
        return b.build();
    }
}
