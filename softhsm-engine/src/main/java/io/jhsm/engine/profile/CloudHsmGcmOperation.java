package io.jhsm.engine.profile;

import io.jhsm.engine.mechanism.CipherOperation;

/**
 * An AES-GCM operation on a cloudhsm-profile token: the mechanism's own operation, marked so that
 * {@link CloudHsmGcm} applies CloudHSM's size limit and single-part rule to it. {@code overhead} is what the
 * input carries beyond the data (the tag when decrypting, and the IV prefix of CKM_CLOUDHSM_AES_GCM).
 */
record CloudHsmGcmOperation(CipherOperation delegate, boolean encrypt, int overhead) implements CipherOperation {
    CloudHsmGcmOperation {
        overhead = encrypt ? 0 : overhead;
    }

    @Override
    public byte[] update(byte[] part) {
        return delegate.update(part);
    }

    @Override
    public byte[] doFinal() {
        return delegate.doFinal();
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        return delegate.outputBound(partLength, andFinal);
    }

    @Override
    public boolean multiPart() {
        return delegate.multiPart();
    }
}
