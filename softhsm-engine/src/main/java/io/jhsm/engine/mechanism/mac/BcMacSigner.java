package io.jhsm.engine.mechanism.mac;

import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.Mac;

/** A BC block-cipher MAC (CMAC over AES or DES3), truncated to the _GENERAL length, for sign and verify. */
public final class BcMacSigner implements SignOperation, VerifyOperation {
    private final Mac mac;
    private final int length;

    public BcMacSigner(Mac mac, int length) {
        this.mac = mac;
        this.length = length;
    }

    @Override
    public void update(byte[] part) {
        mac.update(part, 0, part.length);
    }

    @Override
    public int signatureLength() {
        return length;
    }

    @Override
    public byte[] sign() {
        byte[] full = new byte[mac.getMacSize()];
        mac.doFinal(full, 0);
        return length == full.length ? full : Arrays.copyOf(full, length);
    }

    @Override
    public void verify(byte[] signature) {
        if (signature.length != length) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "MAC must be " + length + " bytes");
        }
        if (!MessageDigest.isEqual(sign(), signature)) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return true;
    }

    /** BC's CMac keeps its chaining block private and offers no copy, so a CMAC state cannot be saved. */
    @Override
    public BcMacSigner copy() {
        throw SavedStates.unsaveable();
    }
}
