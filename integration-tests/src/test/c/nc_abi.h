/*
 * nc_abi: the C ABI of dist/libjhsm-client.so against a node (NativeClientAbiTest). Written against p11-kit's
 * PKCS#11 2.40 header plus the 3.x additions it lacks, from the PKCS#11 3.2 specification. Every result that a
 * key produced is checked with OpenSSL's libcrypto, which never talks to the node.
 */
#ifndef NC_ABI_H
#define NC_ABI_H
#include <p11-kit/pkcs11.h>
#include <stdio.h>

typedef struct { CK_UTF8CHAR *pInterfaceName; void *pFunctionList; CK_FLAGS flags; } NC_INTERFACE;
typedef struct { CK_VERSION version; void *fn[104]; } NC_LIST; /* the 3.2 list; the 3.0 one is its first 92 */

typedef struct {
    CK_BYTE *pIv; CK_ULONG ulIvLen; CK_ULONG ulIvFixedBits; CK_ULONG ivGenerator; CK_BYTE *pTag; CK_ULONG ulTagBits;
} NC_GCM_MESSAGE_PARAMS;
typedef struct {
    CK_BBOOL bExtract, bExpand; CK_MECHANISM_TYPE prfHashMechanism; CK_ULONG ulSaltType; CK_BYTE *pSalt;
    CK_ULONG ulSaltLen; CK_OBJECT_HANDLE hSaltKey; CK_BYTE *pInfo; CK_ULONG ulInfoLen;
} NC_HKDF_PARAMS;
typedef struct { CK_ULONG type; void *pValue; CK_ULONG ulValueLen; } NC_PRF_DATA_PARAM;
typedef struct { CK_ATTRIBUTE *pTemplate; CK_ULONG ulAttributeCount; CK_OBJECT_HANDLE *phKey; } NC_DERIVED_KEY;
typedef struct {
    CK_MECHANISM_TYPE prfType; CK_ULONG ulNumberOfDataParams; NC_PRF_DATA_PARAM *pDataParams;
    CK_ULONG ulAdditionalDerivedKeys; NC_DERIVED_KEY *pAdditionalDerivedKeys;
} NC_SP800_108_KDF_PARAMS;
typedef struct { CK_BBOOL bLittleEndian; CK_ULONG ulWidthInBits; } NC_SP800_108_COUNTER_FORMAT;

#define NC_CKM_HKDF_DERIVE 0x402AUL
#define NC_CKM_SP800_108_COUNTER_KDF 0x3ACUL
#define NC_CKF_HKDF_SALT_DATA 0x2UL
#define NC_CK_SP800_108_ITERATION_VARIABLE 0x1UL
#define NC_CK_SP800_108_BYTE_ARRAY 0x4UL
#define NC_CKG_GENERATE_RANDOM 0x3UL

/* Index of a function in CK_FUNCTION_LIST_3_2. */
enum { NC_MESSAGE_ENCRYPT_INIT = 72, NC_ENCRYPT_MESSAGE = 73, NC_MESSAGE_ENCRYPT_FINAL = 76,
       NC_MESSAGE_DECRYPT_INIT = 77, NC_DECRYPT_MESSAGE = 78, NC_MESSAGE_DECRYPT_FINAL = 81,
       NC_ASYNC_COMPLETE = 99, NC_ASYNC_GET_ID = 100, NC_ASYNC_JOIN = 101 };

extern void *nc_lib;
extern CK_FUNCTION_LIST *f;   /* the 2.40 list */
extern NC_LIST *f3;           /* the 3.2 list */
extern int failures;

/* A check: prints "FAIL what: detail" when it does not hold. */
void check(int ok, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define CHECK_RV(call, want) do { CK_RV rv_ = (call); \
    check(rv_ == (want), #call, "returned 0x%lx, expected 0x%lx", (unsigned long) rv_, (unsigned long) (want)); } while (0)

/* C_Initialize(NULL), the first slot, a R/W session logged in as the crypto user. */
CK_SESSION_HANDLE nc_login(const char *pin);
CK_OBJECT_HANDLE nc_aes_key(CK_SESSION_HANDLE s, const CK_BYTE *value, CK_ULONG len);
CK_ULONG nc_attr(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE t, CK_BYTE *out, CK_ULONG cap);

int case_params(const char *name, const char *pin);
#endif
