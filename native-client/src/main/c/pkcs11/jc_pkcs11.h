/*
 * The PKCS#11 types, structures and constants libjhsm-client.so needs, written from the OASIS PKCS#11
 * 3.2 base specification (LP64: CK_ULONG and pointers are 8 bytes). Only what this module reads or
 * writes is here; the mechanism parameter structs are read at their LP64 offsets in mechparams.c and
 * messages.c, as the Java bridge's decoders do, so they need no declarations.
 */
#ifndef JC_PKCS11_H
#define JC_PKCS11_H

typedef unsigned long CK_ULONG;
typedef unsigned char CK_BYTE;
typedef unsigned char CK_BBOOL;
typedef unsigned char CK_CHAR;
typedef unsigned char CK_UTF8CHAR;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_FLAGS;
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_SESSION_HANDLE;
typedef CK_ULONG CK_OBJECT_HANDLE;
typedef CK_ULONG CK_MECHANISM_TYPE;
typedef CK_ULONG CK_ATTRIBUTE_TYPE;
typedef CK_ULONG CK_USER_TYPE;

typedef struct CK_VERSION { CK_BYTE major; CK_BYTE minor; } CK_VERSION;

typedef struct CK_INFO {
    CK_VERSION cryptokiVersion;
    CK_UTF8CHAR manufacturerID[32];
    CK_FLAGS flags;
    CK_UTF8CHAR libraryDescription[32];
    CK_VERSION libraryVersion;
} CK_INFO;

typedef struct CK_SLOT_INFO {
    CK_UTF8CHAR slotDescription[64];
    CK_UTF8CHAR manufacturerID[32];
    CK_FLAGS flags;
    CK_VERSION hardwareVersion;
    CK_VERSION firmwareVersion;
} CK_SLOT_INFO;

typedef struct CK_TOKEN_INFO {
    CK_UTF8CHAR label[32];
    CK_UTF8CHAR manufacturerID[32];
    CK_UTF8CHAR model[16];
    CK_CHAR serialNumber[16];
    CK_FLAGS flags;
    CK_ULONG ulMaxSessionCount, ulSessionCount, ulMaxRwSessionCount, ulRwSessionCount;
    CK_ULONG ulMaxPinLen, ulMinPinLen;
    CK_ULONG ulTotalPublicMemory, ulFreePublicMemory, ulTotalPrivateMemory, ulFreePrivateMemory;
    CK_VERSION hardwareVersion;
    CK_VERSION firmwareVersion;
    CK_CHAR utcTime[16];
} CK_TOKEN_INFO;

typedef struct CK_SESSION_INFO {
    CK_SLOT_ID slotID;
    CK_ULONG state;
    CK_FLAGS flags;
    CK_ULONG ulDeviceError;
} CK_SESSION_INFO;

typedef struct CK_MECHANISM_INFO { CK_ULONG ulMinKeySize; CK_ULONG ulMaxKeySize; CK_FLAGS flags; } CK_MECHANISM_INFO;

typedef struct CK_ATTRIBUTE { CK_ATTRIBUTE_TYPE type; void *pValue; CK_ULONG ulValueLen; } CK_ATTRIBUTE;

typedef struct CK_MECHANISM { CK_MECHANISM_TYPE mechanism; void *pParameter; CK_ULONG ulParameterLen; } CK_MECHANISM;

typedef struct CK_C_INITIALIZE_ARGS {
    void *CreateMutex, *DestroyMutex, *LockMutex, *UnlockMutex;
    CK_FLAGS flags;
    void *pReserved;
} CK_C_INITIALIZE_ARGS;

/* PKCS#11 3.0 section 3.6: one interface a module offers. */
typedef struct CK_INTERFACE { CK_CHAR *pInterfaceName; void *pFunctionList; CK_FLAGS flags; } CK_INTERFACE;

#define CK_UNAVAILABLE_INFORMATION (~0UL)
#define CK_INVALID_HANDLE 0UL

/* Return values */
#define CKR_OK                           0x000UL
#define CKR_HOST_MEMORY                  0x002UL
#define CKR_GENERAL_ERROR                0x005UL
#define CKR_FUNCTION_FAILED              0x006UL
#define CKR_ARGUMENTS_BAD                0x007UL
#define CKR_CANT_LOCK                    0x00AUL
#define CKR_ATTRIBUTE_SENSITIVE          0x011UL
#define CKR_ATTRIBUTE_TYPE_INVALID       0x012UL
#define CKR_ATTRIBUTE_VALUE_INVALID      0x013UL
#define CKR_DATA_LEN_RANGE               0x021UL
#define CKR_DEVICE_ERROR                 0x030UL
#define CKR_DEVICE_REMOVED               0x032UL
#define CKR_ENCRYPTED_DATA_LEN_RANGE     0x041UL
#define CKR_FUNCTION_NOT_SUPPORTED       0x054UL
#define CKR_MECHANISM_PARAM_INVALID      0x071UL
#define CKR_SIGNATURE_LEN_RANGE          0x0C1UL
#define CKR_WRAPPED_KEY_LEN_RANGE        0x112UL
#define CKR_BUFFER_TOO_SMALL             0x150UL
#define CKR_SAVED_STATE_INVALID          0x160UL
#define CKR_CRYPTOKI_NOT_INITIALIZED     0x190UL
#define CKR_CRYPTOKI_ALREADY_INITIALIZED 0x191UL

/* Flags */
#define CKF_LIBRARY_CANT_CREATE_OS_THREADS 0x1UL
#define CKF_OS_LOCKING_OK                  0x2UL
#define CKF_DONT_BLOCK                     0x1UL
#define CKF_HKDF_SALT_DATA                 0x2UL

/* Attribute types holding a nested CK_ATTRIBUTE array */
#define CKA_WRAP_TEMPLATE        0x40000211UL
#define CKA_UNWRAP_TEMPLATE      0x40000212UL
#define CKA_DERIVE_TEMPLATE      0x40000213UL
#define CKA_ENCAPSULATE_TEMPLATE 0x0000062AUL
#define CKA_DECAPSULATE_TEMPLATE 0x0000062BUL

/* CK_FUNCTION_LIST has 68 entries; CK_FUNCTION_LIST_3_0 appends 24 more, CK_FUNCTION_LIST_3_2 12 more. */
#define JC_FN_COUNT_2_40 68
#define JC_FN_COUNT_3_0  92
#define JC_FN_COUNT_3_2  104

/* A list is a CK_VERSION then the function pointers in the specification's order (functions.h); on LP64
 * an array of pointers has exactly that layout, so one array backs every list. */
typedef struct jc_function_list_3_2 { CK_VERSION version; void *fn[JC_FN_COUNT_3_2]; } jc_function_list_3_2;
typedef struct jc_function_list_3_0 { CK_VERSION version; void *fn[JC_FN_COUNT_3_0]; } jc_function_list_3_0;
typedef struct jc_function_list_2_40 { CK_VERSION version; void *fn[JC_FN_COUNT_2_40]; } jc_function_list_2_40;

#define JC_EXPORT __attribute__((visibility("default")))

#endif
