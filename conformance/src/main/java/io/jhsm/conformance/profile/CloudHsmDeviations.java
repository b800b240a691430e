package io.jhsm.conformance.profile;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import java.util.List;

/**
 * The known deviations of the cloudhsm profile: the suite's rules whose outcome AWS CloudHSM's Client SDK 5
 * PKCS#11 library documents differently from the specification, each with what the library does, the page of
 * the CloudHSM user guide (docs.aws.amazon.com/cloudhsm/latest/userguide/) that says so, and the probe that
 * checks the module does exactly that. Rules not listed here must pass as on any token (a mechanism SDK 5 lacks
 * makes its rule skip as "not offered"); CLOUDHSM.md's table "The cloudhsm profile" lists the behaviours.
 *
 * <p>Entries with a {@code pending} helper were written while that behaviour was being built elsewhere: check
 * them (the CK_RV above all) against the merged engine.
 */
public final class CloudHsmDeviations {
    private CloudHsmDeviations() {}

    static final String APIS = "pkcs11-apis.html";
    static final String SET_ATTRIBUTE = "C_SetAttributeValue is not offered: it answers CKR_FUNCTION_NOT_SUPPORTED and changes "
            + "nothing (attributes change with the CLI's key set-attribute)";
    static final String OPERATION_STATE = "C_GetOperationState and C_SetOperationState are not offered: both answer "
            + "CKR_FUNCTION_NOT_SUPPORTED";

    public static List<Deviation> all() {
        return List.of(
                new Deviation("policy.sensitive-on-extractable-off", SET_ATTRIBUTE, APIS, "api",
                        ctx -> CloudHsmProbes.setAttributeValueNotSupported(ctx, Attribute.of(CKA.SENSITIVE, true))),
                new Deviation("policy.read-only-attributes", SET_ATTRIBUTE, APIS, "api",
                        ctx -> CloudHsmProbes.setAttributeValueNotSupported(ctx, Attribute.of(CKA.CLASS, CKO.DATA))),
                new Deviation("state.saved-digest-and-hmac-continue", OPERATION_STATE, APIS, "api",
                        CloudHsmProbes::operationStateNotSupported),
                new Deviation("state.saved-mac-key-rules", OPERATION_STATE, APIS, "api",
                        CloudHsmProbes::operationStateNotSupported),
                new Deviation("abi.stale-and-foreign-handles", "C_GetObjectSize, which the rule calls on a destroyed object, is "
                        + "not offered: it answers CKR_FUNCTION_NOT_SUPPORTED", APIS, "api",
                        CloudHsmProbes::objectSizeNotSupported),
                new Deviation("concurrency.login-lockout-race", "C_InitPIN and C_SetPIN are not offered (CKR_FUNCTION_NOT_SUPPORTED; "
                        + "an admin resets a crypto user's password with the CLI), so the rule could not unlock the user it "
                        + "locks and is not run", APIS, "api",
                        CloudHsmProbes::pinFunctionsNotSupported),
                new Deviation("cipher.aes-gcm", "AES-GCM encryption takes no IV from the application: the HSM makes the 12-byte "
                        + "IV and writes it into a zeroed pIv, so C_EncryptInit with the rule's own non-zero IV answers "
                        + "CKR_MECHANISM_PARAM_INVALID; decryption takes the IV it is given",
                        "pkcs11-mechanisms.html, annotation 1", "gcm",
                        CloudHsmProbes::gcmRefusesTheCallersIv),
                new Deviation("state.active-operations", "CKA_PRIVATE may only be given at its default (TRUE), so the rule's "
                        + "public key (CKA_PRIVATE false, usable without a login) is refused with CKR_ATTRIBUTE_VALUE_INVALID",
                        "pkcs11-attributes.html", "keys",
                        CloudHsmProbes::privateFalseRefused));
    }
}
