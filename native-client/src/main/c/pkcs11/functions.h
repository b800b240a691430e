/*
 * Every PKCS#11 function of CK_FUNCTION_LIST_3_2: X(index, name, parameters). The index is the
 * function's position in CK_FUNCTION_LIST_3_2, whose first 92 entries are CK_FUNCTION_LIST_3_0 and
 * first 68 CK_FUNCTION_LIST (2.40). lists.c builds the lists from it; each .c file defines its
 * functions against the prototypes declared here, so a wrong signature does not compile.
 */
#ifndef JC_FUNCTIONS_H
#define JC_FUNCTIONS_H

#include "jc_pkcs11.h"

#define U CK_ULONG
#define B CK_BYTE *
#define UP CK_ULONG *
#define T CK_ATTRIBUTE *
#define M CK_MECHANISM *

#define JC_FUNCTIONS(X) \
    X(0, C_Initialize, (void *pInitArgs)) \
    X(1, C_Finalize, (void *pReserved)) \
    X(2, C_GetInfo, (CK_INFO *pInfo)) \
    X(3, C_GetFunctionList, (void **ppFunctionList)) \
    X(4, C_GetSlotList, (CK_BBOOL tokenPresent, UP pSlotList, UP pulCount)) \
    X(5, C_GetSlotInfo, (U slot, CK_SLOT_INFO *pInfo)) \
    X(6, C_GetTokenInfo, (U slot, CK_TOKEN_INFO *pInfo)) \
    X(7, C_GetMechanismList, (U slot, UP pList, UP pulCount)) \
    X(8, C_GetMechanismInfo, (U slot, U type, CK_MECHANISM_INFO *pInfo)) \
    X(9, C_InitToken, (U slot, B pPin, U ulPinLen, B pLabel)) \
    X(10, C_InitPIN, (U h, B pPin, U ulPinLen)) \
    X(11, C_SetPIN, (U h, B pOld, U ulOld, B pNew, U ulNew)) \
    X(12, C_OpenSession, (U slot, U flags, void *pApplication, void *notify, UP phSession)) \
    X(13, C_CloseSession, (U h)) \
    X(14, C_CloseAllSessions, (U slot)) \
    X(15, C_GetSessionInfo, (U h, CK_SESSION_INFO *pInfo)) \
    X(16, C_GetOperationState, (U h, B pState, UP pulLen)) \
    X(17, C_SetOperationState, (U h, B pState, U ulLen, U hEnc, U hAuth)) \
    X(18, C_Login, (U h, U userType, B pPin, U ulPinLen)) \
    X(19, C_Logout, (U h)) \
    X(20, C_CreateObject, (U h, T pTemplate, U ulCount, UP phObject)) \
    X(21, C_CopyObject, (U h, U hObject, T pTemplate, U ulCount, UP phNew)) \
    X(22, C_DestroyObject, (U h, U hObject)) \
    X(23, C_GetObjectSize, (U h, U hObject, UP pulSize)) \
    X(24, C_GetAttributeValue, (U h, U hObject, T pTemplate, U ulCount)) \
    X(25, C_SetAttributeValue, (U h, U hObject, T pTemplate, U ulCount)) \
    X(26, C_FindObjectsInit, (U h, T pTemplate, U ulCount)) \
    X(27, C_FindObjects, (U h, UP phObject, U ulMax, UP pulCount)) \
    X(28, C_FindObjectsFinal, (U h)) \
    X(29, C_EncryptInit, (U h, M pMech, U hKey)) \
    X(30, C_Encrypt, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(31, C_EncryptUpdate, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(32, C_EncryptFinal, (U h, B pOut, UP pulOut)) \
    X(33, C_DecryptInit, (U h, M pMech, U hKey)) \
    X(34, C_Decrypt, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(35, C_DecryptUpdate, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(36, C_DecryptFinal, (U h, B pOut, UP pulOut)) \
    X(37, C_DigestInit, (U h, M pMech)) \
    X(38, C_Digest, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(39, C_DigestUpdate, (U h, B pIn, U ulIn)) \
    X(40, C_DigestKey, (U h, U hKey)) \
    X(41, C_DigestFinal, (U h, B pOut, UP pulOut)) \
    X(42, C_SignInit, (U h, M pMech, U hKey)) \
    X(43, C_Sign, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(44, C_SignUpdate, (U h, B pIn, U ulIn)) \
    X(45, C_SignFinal, (U h, B pOut, UP pulOut)) \
    X(46, C_SignRecoverInit, (U h, M pMech, U hKey)) \
    X(47, C_SignRecover, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(48, C_VerifyInit, (U h, M pMech, U hKey)) \
    X(49, C_Verify, (U h, B pIn, U ulIn, B pSig, U ulSig)) \
    X(50, C_VerifyUpdate, (U h, B pIn, U ulIn)) \
    X(51, C_VerifyFinal, (U h, B pIn, U ulIn)) \
    X(52, C_VerifyRecoverInit, (U h, M pMech, U hKey)) \
    X(53, C_VerifyRecover, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(54, C_DigestEncryptUpdate, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(55, C_DecryptDigestUpdate, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(56, C_SignEncryptUpdate, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(57, C_DecryptVerifyUpdate, (U h, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(58, C_GenerateKey, (U h, M pMech, T pTemplate, U ulCount, UP phKey)) \
    X(59, C_GenerateKeyPair, (U h, M pMech, T pPub, U ulPub, T pPriv, U ulPriv, UP phPub, UP phPriv)) \
    X(60, C_WrapKey, (U h, M pMech, U hWrapping, U hKey, B pOut, UP pulOut)) \
    X(61, C_UnwrapKey, (U h, M pMech, U hUnwrapping, B pWrapped, U ulWrapped, T pTemplate, U ulCount, UP phKey)) \
    X(62, C_DeriveKey, (U h, M pMech, U hBase, T pTemplate, U ulCount, UP phKey)) \
    X(63, C_SeedRandom, (U h, B pSeed, U ulLen)) \
    X(64, C_GenerateRandom, (U h, B pOut, U ulLen)) \
    X(65, C_GetFunctionStatus, (U h)) \
    X(66, C_CancelFunction, (U h)) \
    X(67, C_WaitForSlotEvent, (U flags, UP pSlot, void *pReserved)) \
    X(68, C_GetInterfaceList, (CK_INTERFACE *pList, UP pulCount)) \
    X(69, C_GetInterface, (CK_UTF8CHAR *pName, CK_VERSION *pVersion, CK_INTERFACE **ppInterface, U flags)) \
    X(70, C_LoginUser, (U h, U userType, B pPin, U ulPinLen, B pUser, U ulUserLen)) \
    X(71, C_SessionCancel, (U h, U flags)) \
    X(72, C_MessageEncryptInit, (U h, M pMech, U hKey)) \
    X(73, C_EncryptMessage, (U h, void *pParam, U ulParam, B pAad, U ulAad, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(74, C_EncryptMessageBegin, (U h, void *pParam, U ulParam, B pAad, U ulAad)) \
    X(75, C_EncryptMessageNext, (U h, void *pParam, U ulParam, B pIn, U ulIn, B pOut, UP pulOut, U flags)) \
    X(76, C_MessageEncryptFinal, (U h)) \
    X(77, C_MessageDecryptInit, (U h, M pMech, U hKey)) \
    X(78, C_DecryptMessage, (U h, void *pParam, U ulParam, B pAad, U ulAad, B pIn, U ulIn, B pOut, UP pulOut)) \
    X(79, C_DecryptMessageBegin, (U h, void *pParam, U ulParam, B pAad, U ulAad)) \
    X(80, C_DecryptMessageNext, (U h, void *pParam, U ulParam, B pIn, U ulIn, B pOut, UP pulOut, U flags)) \
    X(81, C_MessageDecryptFinal, (U h)) \
    X(82, C_MessageSignInit, (U h, M pMech, U hKey)) \
    X(83, C_SignMessage, (U h, void *pParam, U ulParam, B pIn, U ulIn, B pSig, UP pulSig)) \
    X(84, C_SignMessageBegin, (U h, void *pParam, U ulParam)) \
    X(85, C_SignMessageNext, (U h, void *pParam, U ulParam, B pIn, U ulIn, B pSig, UP pulSig)) \
    X(86, C_MessageSignFinal, (U h)) \
    X(87, C_MessageVerifyInit, (U h, M pMech, U hKey)) \
    X(88, C_VerifyMessage, (U h, void *pParam, U ulParam, B pIn, U ulIn, B pSig, U ulSig)) \
    X(89, C_VerifyMessageBegin, (U h, void *pParam, U ulParam)) \
    X(90, C_VerifyMessageNext, (U h, void *pParam, U ulParam, B pIn, U ulIn, B pSig, U ulSig)) \
    X(91, C_MessageVerifyFinal, (U h)) \
    X(92, C_EncapsulateKey, (U h, M pMech, U hPub, T pTemplate, U ulCount, B pCt, UP pulCt, UP phKey)) \
    X(93, C_DecapsulateKey, (U h, M pMech, U hPriv, T pTemplate, U ulCount, B pCt, U ulCt, UP phKey)) \
    X(94, C_VerifySignatureInit, (U h, M pMech, U hKey, B pSig, U ulSig)) \
    X(95, C_VerifySignature, (U h, B pIn, U ulIn)) \
    X(96, C_VerifySignatureUpdate, (U h, B pIn, U ulIn)) \
    X(97, C_VerifySignatureFinal, (U h)) \
    X(98, C_GetSessionValidationFlags, (U h, U type, UP pFlags)) \
    X(99, C_AsyncComplete, (U h, CK_UTF8CHAR *pName, void *pResult)) \
    X(100, C_AsyncGetID, (U h, CK_UTF8CHAR *pName, UP pulID)) \
    X(101, C_AsyncJoin, (U h, CK_UTF8CHAR *pName, U ulID, B pData, U ulData)) \
    X(102, C_WrapKeyAuthenticated, (U h, M pMech, U hWrapping, U hKey, B pAad, U ulAad, B pOut, UP pulOut)) \
    X(103, C_UnwrapKeyAuthenticated, (U h, M pMech, U hUnwrapping, B pWrapped, U ulWrapped, T pTemplate, U ulCount, \
                                      B pAad, U ulAad, UP phKey))

#define JC_DECLARE(idx, name, params) JC_EXPORT CK_RV name params;
JC_FUNCTIONS(JC_DECLARE)
#undef JC_DECLARE

#undef U
#undef B
#undef UP
#undef T
#undef M

#endif
