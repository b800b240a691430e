/*
 * Every PKCS#11 function that is forwarded to Java: X(index, name, parameters, arguments).
 * The index is the function's position in CK_FUNCTION_LIST_3_2 (whose first 92 entries are
 * CK_FUNCTION_LIST_3_0, and first 68 CK_FUNCTION_LIST) and also the index Java registers its
 * callback under (io.jhsm.bridge.FunctionTable must agree). C_GetFunctionList (3),
 * C_GetInterfaceList (68) and C_GetInterface (69) are answered in C and are not listed, nor are
 * the 3.2 functions jhsm does not implement (JHSM_UNSUPPORTED_FUNCTIONS below).
 * U is CK_ULONG, P a pointer; the shim never dereferences either.
 */
#ifndef JHSM_FUNCTIONS_H
#define JHSM_FUNCTIONS_H

#define U CK_ULONG
#define P void *

#define JHSM_JAVA_FUNCTIONS(X) \
    X(0, C_Initialize, (P a), (a)) \
    X(1, C_Finalize, (P a), (a)) \
    X(2, C_GetInfo, (P a), (a)) \
    X(4, C_GetSlotList, (CK_BBOOL a, P b, P c), (a, b, c)) \
    X(5, C_GetSlotInfo, (U a, P b), (a, b)) \
    X(6, C_GetTokenInfo, (U a, P b), (a, b)) \
    X(7, C_GetMechanismList, (U a, P b, P c), (a, b, c)) \
    X(8, C_GetMechanismInfo, (U a, U b, P c), (a, b, c)) \
    X(9, C_InitToken, (U a, P b, U c, P d), (a, b, c, d)) \
    X(10, C_InitPIN, (U a, P b, U c), (a, b, c)) \
    X(11, C_SetPIN, (U a, P b, U c, P d, U e), (a, b, c, d, e)) \
    X(12, C_OpenSession, (U a, U b, P c, P d, P e), (a, b, c, d, e)) \
    X(13, C_CloseSession, (U a), (a)) \
    X(14, C_CloseAllSessions, (U a), (a)) \
    X(15, C_GetSessionInfo, (U a, P b), (a, b)) \
    X(16, C_GetOperationState, (U a, P b, P c), (a, b, c)) \
    X(17, C_SetOperationState, (U a, P b, U c, U d, U e), (a, b, c, d, e)) \
    X(18, C_Login, (U a, U b, P c, U d), (a, b, c, d)) \
    X(19, C_Logout, (U a), (a)) \
    X(20, C_CreateObject, (U a, P b, U c, P d), (a, b, c, d)) \
    X(21, C_CopyObject, (U a, U b, P c, U d, P e), (a, b, c, d, e)) \
    X(22, C_DestroyObject, (U a, U b), (a, b)) \
    X(23, C_GetObjectSize, (U a, U b, P c), (a, b, c)) \
    X(24, C_GetAttributeValue, (U a, U b, P c, U d), (a, b, c, d)) \
    X(25, C_SetAttributeValue, (U a, U b, P c, U d), (a, b, c, d)) \
    X(26, C_FindObjectsInit, (U a, P b, U c), (a, b, c)) \
    X(27, C_FindObjects, (U a, P b, U c, P d), (a, b, c, d)) \
    X(28, C_FindObjectsFinal, (U a), (a)) \
    X(29, C_EncryptInit, (U a, P b, U c), (a, b, c)) \
    X(30, C_Encrypt, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(31, C_EncryptUpdate, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(32, C_EncryptFinal, (U a, P b, P c), (a, b, c)) \
    X(33, C_DecryptInit, (U a, P b, U c), (a, b, c)) \
    X(34, C_Decrypt, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(35, C_DecryptUpdate, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(36, C_DecryptFinal, (U a, P b, P c), (a, b, c)) \
    X(37, C_DigestInit, (U a, P b), (a, b)) \
    X(38, C_Digest, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(39, C_DigestUpdate, (U a, P b, U c), (a, b, c)) \
    X(40, C_DigestKey, (U a, U b), (a, b)) \
    X(41, C_DigestFinal, (U a, P b, P c), (a, b, c)) \
    X(42, C_SignInit, (U a, P b, U c), (a, b, c)) \
    X(43, C_Sign, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(44, C_SignUpdate, (U a, P b, U c), (a, b, c)) \
    X(45, C_SignFinal, (U a, P b, P c), (a, b, c)) \
    X(46, C_SignRecoverInit, (U a, P b, U c), (a, b, c)) \
    X(47, C_SignRecover, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(48, C_VerifyInit, (U a, P b, U c), (a, b, c)) \
    X(49, C_Verify, (U a, P b, U c, P d, U e), (a, b, c, d, e)) \
    X(50, C_VerifyUpdate, (U a, P b, U c), (a, b, c)) \
    X(51, C_VerifyFinal, (U a, P b, U c), (a, b, c)) \
    X(52, C_VerifyRecoverInit, (U a, P b, U c), (a, b, c)) \
    X(53, C_VerifyRecover, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(54, C_DigestEncryptUpdate, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(55, C_DecryptDigestUpdate, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(56, C_SignEncryptUpdate, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(57, C_DecryptVerifyUpdate, (U a, P b, U c, P d, P e), (a, b, c, d, e)) \
    X(58, C_GenerateKey, (U a, P b, P c, U d, P e), (a, b, c, d, e)) \
    X(59, C_GenerateKeyPair, (U a, P b, P c, U d, P e, U f, P g, P h), (a, b, c, d, e, f, g, h)) \
    X(60, C_WrapKey, (U a, P b, U c, U d, P e, P f), (a, b, c, d, e, f)) \
    X(61, C_UnwrapKey, (U a, P b, U c, P d, U e, P f, U g, P h), (a, b, c, d, e, f, g, h)) \
    X(62, C_DeriveKey, (U a, P b, U c, P d, U e, P f), (a, b, c, d, e, f)) \
    X(63, C_SeedRandom, (U a, P b, U c), (a, b, c)) \
    X(64, C_GenerateRandom, (U a, P b, U c), (a, b, c)) \
    X(65, C_GetFunctionStatus, (U a), (a)) \
    X(66, C_CancelFunction, (U a), (a)) \
    X(67, C_WaitForSlotEvent, (U a, P b, P c), (a, b, c)) \
    X(70, C_LoginUser, (U a, U b, P c, U d, P e, U f), (a, b, c, d, e, f)) \
    X(71, C_SessionCancel, (U a, U b), (a, b)) \
    X(72, C_MessageEncryptInit, (U a, P b, U c), (a, b, c)) \
    X(73, C_EncryptMessage, (U a, P b, U c, P d, U e, P f, U g, P h, P i), (a, b, c, d, e, f, g, h, i)) \
    X(74, C_EncryptMessageBegin, (U a, P b, U c, P d, U e), (a, b, c, d, e)) \
    X(75, C_EncryptMessageNext, (U a, P b, U c, P d, U e, P f, P g, U h), (a, b, c, d, e, f, g, h)) \
    X(76, C_MessageEncryptFinal, (U a), (a)) \
    X(77, C_MessageDecryptInit, (U a, P b, U c), (a, b, c)) \
    X(78, C_DecryptMessage, (U a, P b, U c, P d, U e, P f, U g, P h, P i), (a, b, c, d, e, f, g, h, i)) \
    X(79, C_DecryptMessageBegin, (U a, P b, U c, P d, U e), (a, b, c, d, e)) \
    X(80, C_DecryptMessageNext, (U a, P b, U c, P d, U e, P f, P g, U h), (a, b, c, d, e, f, g, h)) \
    X(81, C_MessageDecryptFinal, (U a), (a)) \
    X(82, C_MessageSignInit, (U a, P b, U c), (a, b, c)) \
    X(83, C_SignMessage, (U a, P b, U c, P d, U e, P f, P g), (a, b, c, d, e, f, g)) \
    X(84, C_SignMessageBegin, (U a, P b, U c), (a, b, c)) \
    X(85, C_SignMessageNext, (U a, P b, U c, P d, U e, P f, P g), (a, b, c, d, e, f, g)) \
    X(86, C_MessageSignFinal, (U a), (a)) \
    X(87, C_MessageVerifyInit, (U a, P b, U c), (a, b, c)) \
    X(88, C_VerifyMessage, (U a, P b, U c, P d, U e, P f, U g), (a, b, c, d, e, f, g)) \
    X(89, C_VerifyMessageBegin, (U a, P b, U c), (a, b, c)) \
    X(90, C_VerifyMessageNext, (U a, P b, U c, P d, U e, P f, U g), (a, b, c, d, e, f, g)) \
    X(91, C_MessageVerifyFinal, (U a), (a)) \
    X(92, C_EncapsulateKey, (U a, P b, U c, P d, U e, P f, P g, P h), (a, b, c, d, e, f, g, h)) \
    X(93, C_DecapsulateKey, (U a, P b, U c, P d, U e, P f, U g, P h), (a, b, c, d, e, f, g, h)) \
    X(94, C_VerifySignatureInit, (U a, P b, U c, P d, U e), (a, b, c, d, e)) \
    X(95, C_VerifySignature, (U a, P b, U c), (a, b, c)) \
    X(96, C_VerifySignatureUpdate, (U a, P b, U c), (a, b, c)) \
    X(97, C_VerifySignatureFinal, (U a), (a)) \
    X(98, C_GetSessionValidationFlags, (U a, U b, P c), (a, b, c)) \
    X(102, C_WrapKeyAuthenticated, (U a, P b, U c, U d, P e, U f, P g, P h), (a, b, c, d, e, f, g, h)) \
    X(103, C_UnwrapKeyAuthenticated, (U a, P b, U c, P d, U e, P f, U g, P h, U i, P j), (a, b, c, d, e, f, g, h, i, j))

/*
 * The async functions of CK_FUNCTION_LIST_3_2, in its order: answered CKR_FUNCTION_NOT_SUPPORTED in C (the
 * README lists them under "Not supported yet"). Parameters as in the PKCS#11 3.2 header.
 */
#define JHSM_UNSUPPORTED_FUNCTIONS(X) \
    X(99, C_AsyncComplete, (U a, P b, P c), (a, b, c)) \
    X(100, C_AsyncGetID, (U a, P b, P c), (a, b, c)) \
    X(101, C_AsyncJoin, (U a, P b, U c, P d, U e), (a, b, c, d, e))

#define JHSM_IDX_C_GetFunctionList  3
#define JHSM_IDX_C_GetInterfaceList 68
#define JHSM_IDX_C_GetInterface     69

#endif
