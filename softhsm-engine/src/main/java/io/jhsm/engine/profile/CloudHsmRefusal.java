package io.jhsm.engine.profile;

import io.jhsm.engine.diag.ProblemLog;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * The one way the cloudhsm profile refuses a call: the CK_RV CloudHSM's library gives, and one ERROR line
 * (shown at the default log level, at most once per 10 s per message) saying which CloudHSM rule refused it
 * and how to fix the application, as CloudHSM's own library leaves in its log. Every profile quirk that
 * refuses goes through here, so a user switching a token to the profile learns why their code now fails.
 */
public final class CloudHsmRefusal {
    /** Every line starts so: grep-able, and says the refusal is the profile's, not a defect. */
    public static final String PREFIX = "cloudhsm profile: ";

    private CloudHsmRefusal() {}

    /**
     * The exception to throw. {@code where} is the PKCS#11 function ("C_EncryptInit"); {@code rule} what
     * CloudHSM requires; {@code fix} what the application should do instead. Neither may carry a key or PIN.
     */
    public static CkException refuse(long rv, String where, String rule, String fix) {
        String message = PREFIX + rule + " (" + CKR.name(rv) + "); " + fix;
        ProblemLog.get().error(where, message);
        return new CkException(rv, message);
    }
}
