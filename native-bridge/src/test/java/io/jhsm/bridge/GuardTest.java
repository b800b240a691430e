package io.jhsm.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What the bridge says about a failure it turns into a CK_RV. */
class GuardTest {
    @Test
    void failuresTheCallerCannotActOnAreExplainedTheApplicationsOwnErrorsAreNot() {
        for (long rv : new long[] {CKR.DEVICE_ERROR, CKR.GENERAL_ERROR, CKR.TOKEN_NOT_RECOGNIZED, CKR.FUNCTION_FAILED}) {
            assertTrue(Guard.explainable(rv), CKR.name(rv));
        }
        for (long rv : new long[] {CKR.PIN_INCORRECT, CKR.OBJECT_HANDLE_INVALID, CKR.ARGUMENTS_BAD, CKR.BUFFER_TOO_SMALL}) {
            assertFalse(Guard.explainable(rv), CKR.name(rv));
        }
    }

    @Test
    void theExplanationKeepsTheMessageAndItsCause() {
        CkException e = new CkException(CKR.DEVICE_ERROR, "/t/slot-0/token.db: cannot write",
                new IOException("No space left on device"));
        assertEquals(CKR.DEVICE_ERROR, Guard.rv("C_GenerateKey", e));
        String line = Guard.describe(e);
        assertTrue(line.contains("/t/slot-0/token.db: cannot write") && line.contains("No space left on device"), line);
    }

    @Test
    void anythingElseIsAGeneralErrorThatSaysWhereItHappened() {
        IllegalStateException e = new IllegalStateException("unexpected");
        assertEquals(CKR.GENERAL_ERROR, Guard.rv("C_Sign", e));
        assertTrue(Guard.describe(e).contains("IllegalStateException: unexpected at "), Guard.describe(e));
    }
}
