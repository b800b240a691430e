/*
 * Targeted hostile cases, grouped by function family: login, object handles, operation state,
 * templates, mechanism parameters, short output buffers and sensitive attributes. Each expects the
 * CK_RV the PKCS#11 base specification gives for the case (and what it says is written back).
 */
#include <stdio.h>
#include <string.h>
#include "hostile.h"

#define NO_SUCH_HANDLE 0x7ead0001UL
#define SEGFAULTS "SoftHSMv2 2.6 dereferences the NULL pointer (segfault)"
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

static void login_cases(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    CK_ULONG pin_len = strlen(h->user_pin);
    EXPECT("C_OpenSession", "R/W serial session", f->C_OpenSession(h->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
           NULL, NULL, &h->s), CKR_OK);
    EXPECT("C_OpenSession", "without CKF_SERIAL_SESSION", f->C_OpenSession(h->slot, CKF_RW_SESSION, NULL, NULL,
           &(CK_SESSION_HANDLE){0}), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    EXPECT("C_Login", "user type 99", f->C_Login(h->s, 99, (CK_UTF8CHAR *)h->user_pin, pin_len),
           CKR_USER_TYPE_INVALID);
    EXPECT("C_Login", "NULL pPin with ulPinLen 8", f->C_Login(h->s, CKU_USER, NULL, 8), CKR_ARGUMENTS_BAD);
    EXPECT("C_InitPIN", "NULL pPin with ulPinLen 8 (not SO)", f->C_InitPIN(h->s, NULL, 8),
           CKR_ARGUMENTS_BAD, CKR_USER_NOT_LOGGED_IN);
    EXPECT("C_SetPIN", "NULL pOldPin with ulOldLen 8", f->C_SetPIN(h->s, NULL, 8, (CK_UTF8CHAR *)"12345678", 8),
           CKR_ARGUMENTS_BAD);
    EXPECT("C_InitToken", "NULL pLabel", f->C_InitToken(h->slot, (CK_UTF8CHAR *)"12345678", 8, NULL),
           CKR_ARGUMENTS_BAD, CKR_SESSION_EXISTS);
    EXPECT("C_Login", "user with the right PIN", f->C_Login(h->s, CKU_USER, (CK_UTF8CHAR *)h->user_pin, pin_len),
           CKR_OK);
    EXPECT("C_Login", "again while logged in", f->C_Login(h->s, CKU_USER, (CK_UTF8CHAR *)h->user_pin, pin_len),
           CKR_USER_ALREADY_LOGGED_IN);
}

static void fixtures(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_ATTRIBUTE obj[] = {{CKA_CLASS, &data, sizeof data}, {CKA_TOKEN, &no, 1}, {CKA_LABEL, "hostile", 7}};
    EXPECT("C_CreateObject", "session data object", f->C_CreateObject(h->s, obj, 3, &h->data_obj), CKR_OK);
    CK_ULONG len = 32;
    CK_ATTRIBUTE key[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, &no, 1}, {CKA_SENSITIVE, &yes, 1},
                          {CKA_ENCRYPT, &yes, 1}, {CKA_DECRYPT, &yes, 1}};
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0};
    EXPECT("C_GenerateKey", "sensitive AES-256 session key", f->C_GenerateKey(h->s, &gen, key, 5, &h->aes_key),
           CKR_OK);
}

static void handle_cases(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    CK_BYTE buf[64];
    CK_ATTRIBUTE label = {CKA_LABEL, buf, sizeof buf};
    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0};
    EXPECT("C_GetAttributeValue", "object handle that names nothing",
           f->C_GetAttributeValue(h->s, NO_SUCH_HANDLE, &label, 1), CKR_OBJECT_HANDLE_INVALID);
    EXPECT("C_DestroyObject", "object handle that names nothing", f->C_DestroyObject(h->s, NO_SUCH_HANDLE),
           CKR_OBJECT_HANDLE_INVALID);
    EXPECT_DEV(h, "answers the object's error", "C_EncryptInit", "key handle that names nothing", f->C_EncryptInit(h->s, &ecb, NO_SUCH_HANDLE),
           CKR_KEY_HANDLE_INVALID);
    CK_OBJECT_HANDLE gone;
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_ATTRIBUTE obj[] = {{CKA_CLASS, &data, sizeof data}, {CKA_TOKEN, &no, 1}};
    EXPECT("C_CreateObject", "an object to destroy", f->C_CreateObject(h->s, obj, 2, &gone), CKR_OK);
    EXPECT("C_DestroyObject", "destroy it", f->C_DestroyObject(h->s, gone), CKR_OK);
    EXPECT("C_GetAttributeValue", "destroyed object's handle", f->C_GetAttributeValue(h->s, gone, &label, 1),
           CKR_OBJECT_HANDLE_INVALID);
    EXPECT("C_DestroyObject", "destroyed object's handle again", f->C_DestroyObject(h->s, gone),
           CKR_OBJECT_HANDLE_INVALID);
    EXPECT("C_GetObjectSize", "destroyed object's handle", f->C_GetObjectSize(h->s, gone, &(CK_ULONG){0}),
           CKR_OBJECT_HANDLE_INVALID, CKR_FUNCTION_NOT_SUPPORTED);
    EXPECT_DEV(h, "checks CKA_DECRYPT first", "C_DecryptInit", "data object as the key", f->C_DecryptInit(h->s, &ecb, h->data_obj),
           CKR_KEY_HANDLE_INVALID, CKR_KEY_TYPE_INCONSISTENT);
}

static void state_cases(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    CK_BYTE in[32] = {0}, out[64];
    CK_ULONG out_len = sizeof out, n;
    CK_OBJECT_HANDLE found[4];
    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0}, sha = {CKM_SHA256, NULL, 0};
    EXPECT("C_EncryptUpdate", "without C_EncryptInit", f->C_EncryptUpdate(h->s, in, 16, out, &out_len),
           CKR_OPERATION_NOT_INITIALIZED);
    EXPECT("C_DecryptFinal", "without C_DecryptInit", f->C_DecryptFinal(h->s, out, &out_len),
           CKR_OPERATION_NOT_INITIALIZED);
    EXPECT("C_SignUpdate", "without C_SignInit", f->C_SignUpdate(h->s, in, 16), CKR_OPERATION_NOT_INITIALIZED);
    EXPECT("C_DigestFinal", "without C_DigestInit", f->C_DigestFinal(h->s, out, &out_len),
           CKR_OPERATION_NOT_INITIALIZED);
    EXPECT("C_FindObjects", "without C_FindObjectsInit", f->C_FindObjects(h->s, found, 4, &n),
           CKR_OPERATION_NOT_INITIALIZED);
    EXPECT("C_FindObjectsFinal", "without C_FindObjectsInit", f->C_FindObjectsFinal(h->s),
           CKR_OPERATION_NOT_INITIALIZED);
    EXPECT("C_FindObjectsInit", "first", f->C_FindObjectsInit(h->s, NULL, 0), CKR_OK);
    EXPECT("C_FindObjectsInit", "while a search is active", f->C_FindObjectsInit(h->s, NULL, 0),
           CKR_OPERATION_ACTIVE);
    EXPECT("C_FindObjectsFinal", "end the search", f->C_FindObjectsFinal(h->s), CKR_OK);
    EXPECT("C_EncryptInit", "first", f->C_EncryptInit(h->s, &ecb, h->aes_key), CKR_OK);
    EXPECT("C_EncryptInit", "while encryption is active", f->C_EncryptInit(h->s, &ecb, h->aes_key),
           CKR_OPERATION_ACTIVE);
    /* PKCS#11 5.2: a short buffer answers CKR_BUFFER_TOO_SMALL, writes the size and keeps the operation. */
    out_len = 16;
    EXPECT("C_Encrypt", "32 bytes into a 16-byte buffer", f->C_Encrypt(h->s, in, 32, out, &out_len),
           CKR_BUFFER_TOO_SMALL);
    check_true("C_Encrypt", "needed length written back", out_len == 32, out_len == 32 ? "32" : "other");
    out_len = sizeof out;
    EXPECT("C_Encrypt", "same call with room (operation kept)", f->C_Encrypt(h->s, in, 32, out, &out_len), CKR_OK);
    EXPECT("C_EncryptInit", "again", f->C_EncryptInit(h->s, &ecb, h->aes_key), CKR_OK);
    EXPECT_DEV(h, "2.40 had no NULL-mechanism cancel", "C_EncryptInit", "NULL pMechanism ends it",
               f->C_EncryptInit(h->s, NULL, h->aes_key), CKR_OK);
    EXPECT_DEV(h, "2.40 had no NULL-mechanism cancel", "C_EncryptUpdate", "after the NULL-mechanism cancel",
               f->C_EncryptUpdate(h->s, in, 16, out, &out_len), CKR_OPERATION_NOT_INITIALIZED);
    if (h->softhsm) f->C_EncryptFinal(h->s, out, &(CK_ULONG){sizeof out});   /* end it the 2.40 way */
    EXPECT("C_DigestInit", "SHA-256", f->C_DigestInit(h->s, &sha), CKR_OK);
    out_len = 8;
    EXPECT("C_Digest", "into an 8-byte buffer", f->C_Digest(h->s, in, 16, out, &out_len), CKR_BUFFER_TOO_SMALL);
    check_true("C_Digest", "needed length written back", out_len == 32, out_len == 32 ? "32" : "other");
    out_len = sizeof out;
    EXPECT("C_Digest", "same call with room (operation kept)", f->C_Digest(h->s, in, 16, out, &out_len), CKR_OK);
    EXPECT_DEV(h, "ECB takes no parameter, so it reads none", "C_EncryptInit",
               "mechanism with NULL pParameter, ulParameterLen 16",
               f->C_EncryptInit(h->s, &(CK_MECHANISM){CKM_AES_ECB, NULL, 16}, h->aes_key),
               CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD);
    if (h->softhsm) f->C_EncryptFinal(h->s, out, &(CK_ULONG){sizeof out});   /* it started one: end it */
}

/* C_GetAttributeValue: an attribute that cannot be returned answers `want` with ulValueLen set to
 * CK_UNAVAILABLE_INFORMATION (a buffer too small, a sensitive value). */
static void unavailable(hostile *h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, CK_ULONG room, const char *what,
                        CK_RV want) {
    CK_BYTE buf[32];
    CK_ATTRIBUTE a = {type, buf, room};
    EXPECT("C_GetAttributeValue", what, h->f->C_GetAttributeValue(h->s, o, &a, 1), want);
    check_true("C_GetAttributeValue", "  and ulValueLen = CK_UNAVAILABLE_INFORMATION",
               a.ulValueLen == CK_UNAVAILABLE_INFORMATION, "ulValueLen");
}

static void buffer_cases(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    unavailable(h, h->data_obj, CKA_LABEL, 3, "CKA_LABEL into a 3-byte buffer", CKR_BUFFER_TOO_SMALL);
    unavailable(h, h->aes_key, CKA_VALUE, 32, "CKA_VALUE of a sensitive key", CKR_ATTRIBUTE_SENSITIVE);
    CK_MECHANISM_TYPE mechs[1];
    CK_ULONG n = 1, all = 0;
    EXPECT("C_GetMechanismList", "count only", f->C_GetMechanismList(h->slot, NULL, &all), CKR_OK);
    EXPECT("C_GetMechanismList", "into a 1-entry array", f->C_GetMechanismList(h->slot, mechs, &n),
           all > 1 ? CKR_BUFFER_TOO_SMALL : CKR_OK);
    check_true("C_GetMechanismList", "needed count written back", n == all, "ulCount");
    CK_SLOT_ID slots[1];
    CK_ULONG n_slots = 0;
    EXPECT("C_GetSlotList", "into a 0-entry array", f->C_GetSlotList(CK_FALSE, slots, &n_slots),
           CKR_BUFFER_TOO_SMALL);
}

static void template_cases(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_OBJECT_HANDLE o;
    CK_ATTRIBUTE null_value[] = {{CKA_CLASS, &data, sizeof data}, {CKA_TOKEN, &no, 1}, {CKA_LABEL, NULL, 16}};
    EXPECT("C_CreateObject", "CKA_LABEL with NULL pValue, ulValueLen 16", f->C_CreateObject(h->s, null_value, 3, &o),
           CKR_ARGUMENTS_BAD, CKR_ATTRIBUTE_VALUE_INVALID);
    CK_ATTRIBUTE huge[] = {{CKA_CLASS, &data, sizeof data}, {CKA_TOKEN, &no, 1}, {CKA_LABEL, "x", (CK_ULONG)-2}};
    if (h->softhsm) skip("C_CreateObject", "CKA_LABEL with ulValueLen 2^64-2", "SoftHSM reads the whole length");
    else EXPECT("C_CreateObject", "CKA_LABEL with ulValueLen 2^64-2", f->C_CreateObject(h->s, huge, 3, &o),
                CKR_ARGUMENTS_BAD, CKR_ATTRIBUTE_VALUE_INVALID, CKR_HOST_MEMORY);
    EXPECT("C_CreateObject", "NULL pTemplate, ulCount 2^32", f->C_CreateObject(h->s, NULL, 1UL << 32, &o),
           CKR_ARGUMENTS_BAD);
    EXPECT("C_FindObjectsInit", "NULL pTemplate, ulCount 2^32", f->C_FindObjectsInit(h->s, NULL, 1UL << 32),
           CKR_ARGUMENTS_BAD);
    EXPECT("C_GetAttributeValue", "NULL pTemplate, ulCount 2^32", f->C_GetAttributeValue(h->s, h->data_obj, NULL,
           1UL << 32), CKR_ARGUMENTS_BAD);
    EXPECT("C_SetAttributeValue", "CKA_LABEL with NULL pValue, ulValueLen 16", f->C_SetAttributeValue(h->s,
           h->data_obj, &null_value[2], 1), CKR_ARGUMENTS_BAD, CKR_ATTRIBUTE_VALUE_INVALID);
    CK_ATTRIBUTE bad_class[] = {{CKA_CLASS, &data, 3}, {CKA_TOKEN, &no, 1}};
    EXPECT_DEV(h, "ignores the malformed class", "C_CreateObject", "CKA_CLASS with ulValueLen 3", f->C_CreateObject(h->s, bad_class, 2, &o),
           CKR_ATTRIBUTE_VALUE_INVALID);
}

/* Mechanism parameters whose ulParameterLen is not the size of the structure the mechanism takes. */
/*
 * Parameters PKCS#11 tells a token to accept: AES-GCM's ulIvBits is not to be relied on (3.0 §2.13.5: ulIvLen
 * gives the IV length), and RSA-PSS may use another MGF1 hash than hashAlg (only hashAlg must match the
 * mechanism's hash). Each Init must succeed, and the single-part call then ends the operation normally.
 */
static void tolerated_params(hostile *h, CK_OBJECT_HANDLE rsa_priv) {
    CK_FUNCTION_LIST_PTR f = h->f;
    CK_BYTE iv[12] = {0}, data[16] = {0}, out[256];
    CK_ULONG out_len = sizeof out;
    CK_GCM_PARAMS gcm = {iv, sizeof iv, 7, NULL, 0, 128};
    CK_RV rv = (arm("C_EncryptInit", "AES-GCM, ulIvBits 7 with ulIvLen 12"), disarm(f->C_EncryptInit(h->s,
            &(CK_MECHANISM){CKM_AES_GCM, &gcm, sizeof gcm}, h->aes_key)));
    check_rv("C_EncryptInit", "AES-GCM, ulIvBits 7 with ulIvLen 12 (ignored)", rv, ALLOW(CKR_OK));
    if (rv == CKR_OK) {
        EXPECT("C_Encrypt", "AES-GCM whose ulIvBits was ignored", f->C_Encrypt(h->s, data, sizeof data, out, &out_len), CKR_OK);
        check_true("C_Encrypt", "AES-GCM whose ulIvBits was ignored: 16 bytes and the tag", out_len == 32, "length");
    }
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA512, 32};
    rv = (arm("C_SignInit", "SHA256-RSA-PSS with MGF1-SHA512"), disarm(f->C_SignInit(h->s,
            &(CK_MECHANISM){CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof pss}, rsa_priv)));
    check_rv_dev(h, "SoftHSMv2 2.6 requires the MGF1 hash to be hashAlg", "C_SignInit",
                 "SHA256-RSA-PSS with MGF1-SHA512 (allowed)", rv, ALLOW(CKR_OK));
    if (rv == CKR_OK) {
        out_len = sizeof out;
        EXPECT("C_Sign", "SHA256-RSA-PSS with MGF1-SHA512", f->C_Sign(h->s, data, sizeof data, out, &out_len), CKR_OK);
    }
}

static void param_cases(hostile *h) {
    CK_FUNCTION_LIST *f = h->f;
    CK_ULONG bits = 2048;
    CK_BYTE e[] = {1, 0, 1}, p256[] = {6, 8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 3, 1, 7};
    CK_ATTRIBUTE rsa_pub[] = {{CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_PUBLIC_EXPONENT, e, 3},
                              {CKA_TOKEN, &no, 1}, {CKA_ENCRYPT, &yes, 1}, {CKA_VERIFY, &yes, 1}};
    CK_ATTRIBUTE priv[] = {{CKA_TOKEN, &no, 1}, {CKA_DECRYPT, &yes, 1}, {CKA_SIGN, &yes, 1}};
    CK_ATTRIBUTE ec_pub[] = {{CKA_EC_PARAMS, p256, sizeof p256}, {CKA_TOKEN, &no, 1}};
    CK_ATTRIBUTE ec_priv[] = {{CKA_TOKEN, &no, 1}, {CKA_DERIVE, &yes, 1}};
    CK_OBJECT_HANDLE rsa, rsa_priv, ec, ec_prv, derived;
    EXPECT("C_GenerateKeyPair", "RSA-2048 session pair", f->C_GenerateKeyPair(h->s,
           &(CK_MECHANISM){CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0}, rsa_pub, 5, priv, 3, &rsa, &rsa_priv), CKR_OK);
    EXPECT("C_GenerateKeyPair", "P-256 session pair", f->C_GenerateKeyPair(h->s,
           &(CK_MECHANISM){CKM_EC_KEY_PAIR_GEN, NULL, 0}, ec_pub, 2, ec_priv, 2, &ec, &ec_prv), CKR_OK);

    CK_BYTE iv[12] = {0};
    CK_GCM_PARAMS gcm = {iv, sizeof iv, 96, NULL, 0, 128};
    EXPECT_DEV(h, "the generic error", "C_EncryptInit", "AES-GCM, ulParameterLen one short", f->C_EncryptInit(h->s,
               &(CK_MECHANISM){CKM_AES_GCM, &gcm, sizeof gcm - 1}, h->aes_key), CKR_MECHANISM_PARAM_INVALID);
    EXPECT_UNLESS_SOFTHSM(h, SEGFAULTS, "C_EncryptInit", "AES-GCM, NULL pParameter, ulParameterLen 48",
           f->C_EncryptInit(h->s, &(CK_MECHANISM){CKM_AES_GCM, NULL, sizeof gcm}, h->aes_key),
           CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD);
    CK_GCM_PARAMS gcm_null_iv = {NULL, 12, 96, NULL, 0, 128};
    EXPECT_UNLESS_SOFTHSM(h, SEGFAULTS, "C_EncryptInit", "AES-GCM, NULL pIv with ulIvLen 12", f->C_EncryptInit(h->s,
           &(CK_MECHANISM){CKM_AES_GCM, &gcm_null_iv, sizeof gcm_null_iv}, h->aes_key),
           CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD);
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 0};
    EXPECT_DEV(h, "the generic error", "C_EncryptInit", "RSA-OAEP, ulParameterLen 8", f->C_EncryptInit(h->s,
           &(CK_MECHANISM){CKM_RSA_PKCS_OAEP, &oaep, 8}, rsa), CKR_MECHANISM_PARAM_INVALID);
    CK_RSA_PKCS_OAEP_PARAMS oaep_null = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 64};
    EXPECT("C_EncryptInit", "RSA-OAEP, NULL pSourceData with length 64", f->C_EncryptInit(h->s,
           &(CK_MECHANISM){CKM_RSA_PKCS_OAEP, &oaep_null, sizeof oaep_null}, rsa),
           CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD);
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    EXPECT_DEV(h, "the generic error", "C_SignInit", "RSA-PSS, ulParameterLen 4", f->C_SignInit(h->s,
           &(CK_MECHANISM){CKM_SHA256_RSA_PKCS_PSS, &pss, 4}, rsa_priv), CKR_MECHANISM_PARAM_INVALID);
    EXPECT("C_SignInit", "RSA-PSS, NULL pParameter, ulParameterLen 24", f->C_SignInit(h->s,
           &(CK_MECHANISM){CKM_SHA256_RSA_PKCS_PSS, NULL, sizeof pss}, rsa_priv),
           CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD);
    tolerated_params(h, rsa_priv);
    CK_ECDH1_DERIVE_PARAMS ecdh = {CKD_NULL, 0, NULL, 65, NULL};
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_KEY_TYPE generic = CKK_GENERIC_SECRET;
    CK_ULONG len = 32;
    CK_ATTRIBUTE out[] = {{CKA_CLASS, &secret, sizeof secret}, {CKA_KEY_TYPE, &generic, sizeof generic},
                          {CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, &no, 1}};
    EXPECT("C_DeriveKey", "ECDH1, NULL pPublicData with ulPublicDataLen 65", f->C_DeriveKey(h->s,
           &(CK_MECHANISM){CKM_ECDH1_DERIVE, &ecdh, sizeof ecdh}, ec_prv, out, 4, &derived),
           CKR_MECHANISM_PARAM_INVALID, CKR_ARGUMENTS_BAD);
    EXPECT("C_DeriveKey", "ECDH1, ulParameterLen 16", f->C_DeriveKey(h->s,
           &(CK_MECHANISM){CKM_ECDH1_DERIVE, &ecdh, 16}, ec_prv, out, 4, &derived), CKR_MECHANISM_PARAM_INVALID);
    f->C_DestroyObject(h->s, rsa);
    f->C_DestroyObject(h->s, rsa_priv);
    f->C_DestroyObject(h->s, ec);
    f->C_DestroyObject(h->s, ec_prv);
}

static void init_args_cases(hostile *h) {
    CK_C_INITIALIZE_ARGS reserved = {NULL, NULL, NULL, NULL, 0, (void *)1};
    CK_C_INITIALIZE_ARGS half = {(CK_CREATEMUTEX)1, NULL, NULL, NULL, 0, NULL};
    EXPECT("C_Finalize", "non-NULL pReserved", h->f->C_Finalize((void *)1), CKR_ARGUMENTS_BAD);
    EXPECT("C_Initialize", "pReserved not NULL (while initialised)", h->f->C_Initialize(&reserved),
           CKR_ARGUMENTS_BAD, CKR_CRYPTOKI_ALREADY_INITIALIZED);
    EXPECT("C_Initialize", "only some mutex functions (while initialised)", h->f->C_Initialize(&half),
           CKR_ARGUMENTS_BAD, CKR_CRYPTOKI_ALREADY_INITIALIZED);
}

void targeted_cases(hostile *h) {
    login_cases(h);
    fixtures(h);
    handle_cases(h);
    state_cases(h);
    buffer_cases(h);
    template_cases(h);
    param_cases(h);
    init_args_cases(h);
}
