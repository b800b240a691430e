/*
 * The PKCS#11 2.40 types, constants and function-list layout p11bench uses, written from the base
 * specification. Kept here so the benchmark builds with gcc alone (no libp11-kit-dev), like the shim.
 * Only the functions p11bench calls are typed; the others are placeholders that keep the layout.
 */
#ifndef P11BENCH_P11_H
#define P11BENCH_P11_H

typedef unsigned long CK_ULONG, CK_RV, CK_FLAGS, CK_SLOT_ID, CK_SESSION_HANDLE, CK_OBJECT_HANDLE;
typedef unsigned long CK_ATTRIBUTE_TYPE, CK_MECHANISM_TYPE, CK_USER_TYPE;
typedef unsigned char CK_BYTE, CK_BBOOL, CK_UTF8CHAR;

typedef struct { CK_BYTE major, minor; } CK_VERSION;
typedef struct {
    CK_VERSION cryptokiVersion; CK_UTF8CHAR manufacturerID[32]; CK_FLAGS flags;
    CK_UTF8CHAR libraryDescription[32]; CK_VERSION libraryVersion;
} CK_INFO;
typedef struct {
    CK_UTF8CHAR label[32], manufacturerID[32], model[16]; CK_BYTE serialNumber[16]; CK_FLAGS flags;
    CK_ULONG ulMaxSessionCount, ulSessionCount, ulMaxRwSessionCount, ulRwSessionCount, ulMaxPinLen,
             ulMinPinLen, ulTotalPublicMemory, ulFreePublicMemory, ulTotalPrivateMemory, ulFreePrivateMemory;
    CK_VERSION hardwareVersion, firmwareVersion; CK_BYTE utcTime[16];
} CK_TOKEN_INFO;
typedef struct { CK_ATTRIBUTE_TYPE type; void *pValue; CK_ULONG ulValueLen; } CK_ATTRIBUTE;
typedef struct { CK_MECHANISM_TYPE mechanism; void *pParameter; CK_ULONG ulParameterLen; } CK_MECHANISM;
typedef struct { CK_BYTE *pIv; CK_ULONG ulIvLen, ulIvBits; CK_BYTE *pAAD; CK_ULONG ulAADLen, ulTagBits; } CK_GCM_PARAMS;
typedef struct {
    CK_ULONG kdf; CK_ULONG ulSharedDataLen; CK_BYTE *pSharedData; CK_ULONG ulPublicDataLen; CK_BYTE *pPublicData;
} CK_ECDH1_DERIVE_PARAMS;
typedef struct {
    CK_MECHANISM_TYPE hashAlg; CK_ULONG mgf; CK_ULONG source; void *pSourceData; CK_ULONG ulSourceDataLen;
} CK_RSA_PKCS_OAEP_PARAMS;
typedef struct { void *CreateMutex, *DestroyMutex, *LockMutex, *UnlockMutex; CK_FLAGS flags; void *pReserved; }
    CK_C_INITIALIZE_ARGS;

#define CK_FN(name, ...) CK_RV (*name)(__VA_ARGS__)
/* The layout of CK_SESSION_INFO: slotID, state, flags, ulDeviceError. */
typedef struct { CK_SLOT_ID slotID; CK_ULONG state; CK_FLAGS flags; CK_ULONG ulDeviceError; } CK_SESSION_INFO;

typedef struct CK_FUNCTION_LIST {
    CK_VERSION version;
    CK_FN(C_Initialize, void *);
    CK_FN(C_Finalize, void *);
    CK_FN(C_GetInfo, CK_INFO *);
    void *C_GetFunctionList;
    CK_FN(C_GetSlotList, CK_BBOOL, CK_SLOT_ID *, CK_ULONG *);
    void *C_GetSlotInfo;
    CK_FN(C_GetTokenInfo, CK_SLOT_ID, CK_TOKEN_INFO *);
    void *C_GetMechanismList, *C_GetMechanismInfo, *C_InitToken, *C_InitPIN, *C_SetPIN;
    CK_FN(C_OpenSession, CK_SLOT_ID, CK_FLAGS, void *, void *, CK_SESSION_HANDLE *);
    CK_FN(C_CloseSession, CK_SESSION_HANDLE);
    void *C_CloseAllSessions;
    CK_FN(C_GetSessionInfo, CK_SESSION_HANDLE, CK_SESSION_INFO *);
    void *C_GetOperationState, *C_SetOperationState;
    CK_FN(C_Login, CK_SESSION_HANDLE, CK_USER_TYPE, CK_UTF8CHAR *, CK_ULONG);
    void *C_Logout;
    CK_FN(C_CreateObject, CK_SESSION_HANDLE, CK_ATTRIBUTE *, CK_ULONG, CK_OBJECT_HANDLE *);
    void *C_CopyObject;
    CK_FN(C_DestroyObject, CK_SESSION_HANDLE, CK_OBJECT_HANDLE);
    void *C_GetObjectSize;
    CK_FN(C_GetAttributeValue, CK_SESSION_HANDLE, CK_OBJECT_HANDLE, CK_ATTRIBUTE *, CK_ULONG);
    void *C_SetAttributeValue;
    CK_FN(C_FindObjectsInit, CK_SESSION_HANDLE, CK_ATTRIBUTE *, CK_ULONG);
    CK_FN(C_FindObjects, CK_SESSION_HANDLE, CK_OBJECT_HANDLE *, CK_ULONG, CK_ULONG *);
    CK_FN(C_FindObjectsFinal, CK_SESSION_HANDLE);
    CK_FN(C_EncryptInit, CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE);
    CK_FN(C_Encrypt, CK_SESSION_HANDLE, CK_BYTE *, CK_ULONG, CK_BYTE *, CK_ULONG *);
    void *C_EncryptUpdate, *C_EncryptFinal;
    CK_FN(C_DecryptInit, CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE);
    CK_FN(C_Decrypt, CK_SESSION_HANDLE, CK_BYTE *, CK_ULONG, CK_BYTE *, CK_ULONG *);
    void *C_DecryptUpdate, *C_DecryptFinal;
    CK_FN(C_DigestInit, CK_SESSION_HANDLE, CK_MECHANISM *);
    CK_FN(C_Digest, CK_SESSION_HANDLE, CK_BYTE *, CK_ULONG, CK_BYTE *, CK_ULONG *);
    void *C_DigestUpdate, *C_DigestKey, *C_DigestFinal;
    CK_FN(C_SignInit, CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE);
    CK_FN(C_Sign, CK_SESSION_HANDLE, CK_BYTE *, CK_ULONG, CK_BYTE *, CK_ULONG *);
    void *C_SignUpdate, *C_SignFinal, *C_SignRecoverInit, *C_SignRecover;
    CK_FN(C_VerifyInit, CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE);
    CK_FN(C_Verify, CK_SESSION_HANDLE, CK_BYTE *, CK_ULONG, CK_BYTE *, CK_ULONG);
    void *C_VerifyUpdate, *C_VerifyFinal, *C_VerifyRecoverInit, *C_VerifyRecover;
    void *C_DigestEncryptUpdate, *C_DecryptDigestUpdate, *C_SignEncryptUpdate, *C_DecryptVerifyUpdate;
    CK_FN(C_GenerateKey, CK_SESSION_HANDLE, CK_MECHANISM *, CK_ATTRIBUTE *, CK_ULONG, CK_OBJECT_HANDLE *);
    CK_FN(C_GenerateKeyPair, CK_SESSION_HANDLE, CK_MECHANISM *, CK_ATTRIBUTE *, CK_ULONG, CK_ATTRIBUTE *,
          CK_ULONG, CK_OBJECT_HANDLE *, CK_OBJECT_HANDLE *);
    void *C_WrapKey, *C_UnwrapKey;
    CK_FN(C_DeriveKey, CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE, CK_ATTRIBUTE *, CK_ULONG,
          CK_OBJECT_HANDLE *);
    void *C_SeedRandom;
    CK_FN(C_GenerateRandom, CK_SESSION_HANDLE, CK_BYTE *, CK_ULONG);
    void *C_GetFunctionStatus, *C_CancelFunction, *C_WaitForSlotEvent;
} CK_FUNCTION_LIST;
typedef CK_RV (*CK_C_GetFunctionList)(CK_FUNCTION_LIST **);

#define CKR_OK 0x0UL
#define CKF_RW_SESSION 0x2UL
#define CKF_SERIAL_SESSION 0x4UL
#define CKF_OS_LOCKING_OK 0x2UL
#define CKU_USER 1UL
#define CK_TRUE 1
#define CK_FALSE 0

#define CKO_DATA 0UL
#define CKO_PUBLIC_KEY 2UL
#define CKO_PRIVATE_KEY 3UL
#define CKO_SECRET_KEY 4UL
#define CKK_GENERIC_SECRET 0x10UL
#define CKK_AES 0x1FUL

#define CKA_CLASS 0x000UL
#define CKA_TOKEN 0x001UL
#define CKA_PRIVATE 0x002UL
#define CKA_LABEL 0x003UL
#define CKA_VALUE 0x011UL
#define CKA_KEY_TYPE 0x100UL
#define CKA_ID 0x102UL
#define CKA_SENSITIVE 0x103UL
#define CKA_ENCRYPT 0x104UL
#define CKA_DECRYPT 0x105UL
#define CKA_SIGN 0x108UL
#define CKA_DERIVE 0x10CUL
#define CKA_VERIFY 0x10AUL
#define CKA_MODULUS_BITS 0x121UL
#define CKA_PUBLIC_EXPONENT 0x122UL
#define CKA_VALUE_LEN 0x161UL
#define CKA_EC_PARAMS 0x180UL
#define CKA_EC_POINT 0x181UL

#define CKM_RSA_PKCS_KEY_PAIR_GEN 0x0000UL
#define CKM_RSA_PKCS_OAEP 0x0009UL
#define CKM_SHA256_RSA_PKCS 0x0040UL
#define CKM_SHA_1 0x0220UL
#define CKM_SHA256 0x0250UL
#define CKM_SHA256_HMAC 0x0251UL
#define CKM_GENERIC_SECRET_KEY_GEN 0x0350UL
#define CKM_EC_KEY_PAIR_GEN 0x1040UL
#define CKM_ECDSA 0x1041UL
#define CKM_ECDH1_DERIVE 0x1050UL
#define CKM_EC_EDWARDS_KEY_PAIR_GEN 0x1055UL
#define CKM_EDDSA 0x1057UL
#define CKM_AES_KEY_GEN 0x1080UL
#define CKM_AES_CBC_PAD 0x1085UL
#define CKM_AES_GCM 0x1087UL
#define CKD_NULL 0x1UL
#define CKG_MGF1_SHA1 0x1UL
#define CKZ_DATA_SPECIFIED 0x1UL

#endif
