package io.jhsm.bridge;

/**
 * Positions of the functions in CK_FUNCTION_LIST_3_2 (whose first 92 are CK_FUNCTION_LIST_3_0), which
 * are also the indices under which Java registers its callbacks with the shim
 * (src/main/c/jhsm_functions.h lists the same numbers).
 */
final class FunctionTable {
    private FunctionTable() {}

    static final int C_Initialize = 0, C_Finalize = 1, C_GetInfo = 2, C_GetFunctionList = 3, C_GetSlotList = 4,
            C_GetSlotInfo = 5, C_GetTokenInfo = 6, C_GetMechanismList = 7, C_GetMechanismInfo = 8, C_InitToken = 9,
            C_InitPIN = 10, C_SetPIN = 11, C_OpenSession = 12, C_CloseSession = 13, C_CloseAllSessions = 14,
            C_GetSessionInfo = 15, C_GetOperationState = 16, C_SetOperationState = 17, C_Login = 18, C_Logout = 19,
            C_CreateObject = 20, C_CopyObject = 21, C_DestroyObject = 22, C_GetObjectSize = 23,
            C_GetAttributeValue = 24, C_SetAttributeValue = 25, C_FindObjectsInit = 26, C_FindObjects = 27,
            C_FindObjectsFinal = 28, C_EncryptInit = 29, C_Encrypt = 30, C_EncryptUpdate = 31, C_EncryptFinal = 32,
            C_DecryptInit = 33, C_Decrypt = 34, C_DecryptUpdate = 35, C_DecryptFinal = 36, C_DigestInit = 37,
            C_Digest = 38, C_DigestUpdate = 39, C_DigestKey = 40, C_DigestFinal = 41, C_SignInit = 42, C_Sign = 43,
            C_SignUpdate = 44, C_SignFinal = 45, C_SignRecoverInit = 46, C_SignRecover = 47, C_VerifyInit = 48,
            C_Verify = 49, C_VerifyUpdate = 50, C_VerifyFinal = 51, C_VerifyRecoverInit = 52, C_VerifyRecover = 53,
            C_DigestEncryptUpdate = 54, C_DecryptDigestUpdate = 55, C_SignEncryptUpdate = 56,
            C_DecryptVerifyUpdate = 57, C_GenerateKey = 58, C_GenerateKeyPair = 59, C_WrapKey = 60,
            C_UnwrapKey = 61, C_DeriveKey = 62, C_SeedRandom = 63, C_GenerateRandom = 64, C_GetFunctionStatus = 65,
            C_CancelFunction = 66, C_WaitForSlotEvent = 67, C_GetInterfaceList = 68, C_GetInterface = 69,
            C_LoginUser = 70, C_SessionCancel = 71, C_MessageEncryptInit = 72, C_EncryptMessage = 73,
            C_EncryptMessageBegin = 74, C_EncryptMessageNext = 75, C_MessageEncryptFinal = 76,
            C_MessageDecryptInit = 77, C_DecryptMessage = 78, C_DecryptMessageBegin = 79,
            C_DecryptMessageNext = 80, C_MessageDecryptFinal = 81, C_MessageSignInit = 82, C_SignMessage = 83,
            C_SignMessageBegin = 84, C_SignMessageNext = 85, C_MessageSignFinal = 86, C_MessageVerifyInit = 87,
            C_VerifyMessage = 88, C_VerifyMessageBegin = 89, C_VerifyMessageNext = 90, C_MessageVerifyFinal = 91,
            C_EncapsulateKey = 92, C_DecapsulateKey = 93, C_VerifySignatureInit = 94, C_VerifySignature = 95,
            C_VerifySignatureUpdate = 96, C_VerifySignatureFinal = 97, C_GetSessionValidationFlags = 98,
            C_AsyncComplete = 99, C_AsyncGetID = 100, C_AsyncJoin = 101, C_WrapKeyAuthenticated = 102,
            C_UnwrapKeyAuthenticated = 103;

    /**
     * The whole CK_FUNCTION_LIST_3_2. The shim answers the three async functions of 3.2 with
     * CKR_FUNCTION_NOT_SUPPORTED itself; every other entry but the list getters is forwarded to Java.
     */
    static final int COUNT = 104;

    /** Answered by the shim in C; Java registers nothing for them. */
    static boolean answeredInC(int index) {
        return index == C_GetFunctionList || index == C_GetInterfaceList || index == C_GetInterface
                || (index >= C_AsyncComplete && index <= C_AsyncJoin);
    }
}
