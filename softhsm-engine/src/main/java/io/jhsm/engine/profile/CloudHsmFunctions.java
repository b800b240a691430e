package io.jhsm.engine.profile;

import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKR;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The functions CloudHSM's Client SDK 5 PKCS#11 library leaves out. Its "Supported API operations" page
 * (pkcs11-apis.html) lists what it supports; everything else a PKCS#11 2.40 or 3.x module offers is refused on a
 * cloudhsm-profile token with CKR_FUNCTION_NOT_SUPPORTED, through {@link CloudHsmRefusal}, so the application learns
 * here what it must do instead (attribute changes and PIN management through the CLI, for one). Each gated entry
 * point makes one call here; a pkcs11-profile token is never refused.
 *
 * <p>C_GetFunctionStatus and C_CancelFunction are not gated: the specification already has them fail
 * (CKR_FUNCTION_NOT_PARALLEL) and SDK 5's page says nothing of them beyond leaving them out.
 */
public final class CloudHsmFunctions {
    private static final String NOT_SUPPORTED = "CloudHSM's PKCS#11 library (Client SDK 5) does not support ";

    /** The operations SDK 5 runs: the PKCS#11 2.40 encrypt, decrypt, digest, sign, verify and find families. */
    private static final Set<OperationKind> SUPPORTED_OPERATIONS = EnumSet.of(OperationKind.ENCRYPT, OperationKind.DECRYPT,
            OperationKind.DIGEST, OperationKind.SIGN, OperationKind.VERIFY, OperationKind.FIND);

    /** The functions of each operation kind SDK 5 lacks, as the log names them. */
    private static final Map<OperationKind, String> OPERATION_FUNCTIONS = Map.of(
            OperationKind.SIGN_RECOVER, "C_SignRecoverInit/C_SignRecover",
            OperationKind.VERIFY_RECOVER, "C_VerifyRecoverInit/C_VerifyRecover",
            OperationKind.VERIFY_SIGNATURE, "C_VerifySignature*",
            OperationKind.MESSAGE_ENCRYPT, "C_MessageEncryptInit/C_EncryptMessage*",
            OperationKind.MESSAGE_DECRYPT, "C_MessageDecryptInit/C_DecryptMessage*",
            OperationKind.MESSAGE_SIGN, "C_MessageSignInit/C_SignMessage*",
            OperationKind.MESSAGE_VERIFY, "C_MessageVerifyInit/C_VerifyMessage*");

    /** The dual-function calls, as the log names them. */
    public static final String DUAL = "C_DigestEncryptUpdate/C_DecryptDigestUpdate/C_SignEncryptUpdate/C_DecryptVerifyUpdate";

    /** What the application should do instead, per function (or functions) left out. */
    private static final Map<String, String> INSTEAD = Map.ofEntries(
            Map.entry("C_SetAttributeValue", "change attributes with 'jhsm key set-attribute' (CloudHSM CLI key set-attribute)"),
            Map.entry("C_CopyObject", "make the key again (C_GenerateKey, C_UnwrapKey) with the attributes you need, or share it with 'jhsm key share'"),
            Map.entry("C_GetObjectSize", "read the attributes you need with C_GetAttributeValue"),
            Map.entry("C_InitToken", "initialise the cluster with 'jhsm cluster initialize' and 'activate'"),
            Map.entry("C_InitPIN", "create crypto users with 'jhsm user create'"),
            Map.entry("C_SetPIN", "change passwords with 'jhsm user change-password'"),
            Map.entry("C_SeedRandom", "drop the call: the HSM seeds its generator itself"),
            Map.entry("C_WaitForSlotEvent", "do not wait for slot events: a cluster's slot is always present"),
            Map.entry("C_GetOperationState", "keep the data yourself and start the operation again"),
            Map.entry("C_SetOperationState", "keep the data yourself and start the operation again"),
            Map.entry("C_DigestKey", "digest data you hold with C_Digest"),
            Map.entry(DUAL, "call the two operations one after the other"),
            Map.entry("C_LoginUser", "log in with C_Login and the PIN 'user:password'"),
            Map.entry("C_SessionCancel", "end an operation by finishing it, or by calling its Init with a NULL mechanism"),
            Map.entry("C_GetSessionValidationFlags", "drop the call (a PKCS#11 3.2 function)"),
            Map.entry("C_WrapKeyAuthenticated", "wrap with C_WrapKey and CKM_AES_GCM or CKM_CLOUDHSM_AES_GCM"),
            Map.entry("C_UnwrapKeyAuthenticated", "unwrap with C_UnwrapKey and CKM_AES_GCM or CKM_CLOUDHSM_AES_GCM"),
            Map.entry("C_EncapsulateKey", "agree keys with C_DeriveKey and CKM_ECDH1_DERIVE"),
            Map.entry("C_DecapsulateKey", "agree keys with C_DeriveKey and CKM_ECDH1_DERIVE"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.SIGN_RECOVER), "sign with C_Sign and send the data with the signature"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.VERIFY_RECOVER), "verify with C_Verify against the data"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.VERIFY_SIGNATURE), "verify with C_VerifyInit and C_Verify"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.MESSAGE_ENCRYPT), "encrypt each message with C_EncryptInit and C_Encrypt"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.MESSAGE_DECRYPT), "decrypt each message with C_DecryptInit and C_Decrypt"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.MESSAGE_SIGN), "sign each message with C_SignInit and C_Sign"),
            Map.entry(OPERATION_FUNCTIONS.get(OperationKind.MESSAGE_VERIFY), "verify each message with C_VerifyInit and C_Verify"));

    private CloudHsmFunctions() {}

    /** Refuses {@code function} (a PKCS#11 name, or {@link #DUAL}) on a cloudhsm-profile token. */
    public static void require(Token t, String function) {
        if (t.cloudHsmProfile()) {
            throw refusal(function);
        }
    }

    /** Refuses an operation of a kind SDK 5 lacks (recover, VerifySignature, message-based) on a cloudhsm-profile token. */
    public static void requireOperation(Token t, OperationKind kind) {
        if (t.cloudHsmProfile() && !SUPPORTED_OPERATIONS.contains(kind)) {
            throw refusal(OPERATION_FUNCTIONS.get(kind));
        }
    }

    /**
     * C_OpenSession with a Notify callback: SDK 5 refuses it with CKR_ARGUMENTS_BAD, logging that callbacks are not
     * supported (its log line as quoted in openssl-projects/pkcs11-provider issue 342). A NULL Notify with a
     * pApplication is not documented either way, so it keeps the specification's behaviour (accepted).
     */
    public static void requireNoNotify(Token t) {
        if (t.cloudHsmProfile()) {
            throw CloudHsmRefusal.refuse(CKR.ARGUMENTS_BAD, "C_OpenSession", "CloudHSM's PKCS#11 library does not support"
                    + " a Notify callback", "pass NULL_PTR for both pApplication and Notify");
        }
    }

    /**
     * For a function without a session or slot: refused when the configuration gives every token the cloudhsm
     * profile ({@code profile = cloudhsm} in JHSM_CONF); a module of mixed tokens keeps the specification's behaviour.
     */
    public static void requireModule(Optional<TokenProfile> configured, String function) {
        if (configured.map(TokenProfile::cloudHsm).orElse(false)) {
            throw refusal(function);
        }
    }

    private static RuntimeException refusal(String function) {
        String fix = INSTEAD.get(function);
        if (fix == null) {
            throw new IllegalArgumentException("no advice for " + function);
        }
        return CloudHsmRefusal.refuse(CKR.FUNCTION_NOT_SUPPORTED, function, NOT_SUPPORTED + function, fix);
    }
}
