/*
 * AES-GCM the way AWS CloudHSM's PKCS#11 library requires, in code that also runs on a standard token.
 *
 *   gcm MODULE TOKEN-LABEL USER-PIN [KEY-HEX]
 *
 * Encrypts and decrypts a message with CKM_AES_GCM, then with CloudHSM's vendor mechanism
 * CKM_CLOUDHSM_AES_GCM where the token offers it. KEY-HEX (16, 24 or 32 bytes) imports a known session
 * key, so the output can be checked elsewhere; without it the token generates one. Exit status 0: all went well.
 *
 * CloudHSM (pkcs11-mechanisms.html, annotations 1-3):
 *  - C_EncryptInit with CKM_AES_GCM does not take an IV from the application: pIv must point to ulIvLen = 12
 *    zeroed bytes, and the HSM writes the IV it generated there. Keep that IV with the ciphertext; decryption
 *    takes it back as an ordinary IV.
 *  - One C_Encrypt / C_Decrypt handles at most 16224 bytes of data; there is no C_EncryptUpdate for GCM.
 *  - CKM_CLOUDHSM_AES_GCM takes pIv = NULL and puts the IV in front of the ciphertext (IV || ciphertext || tag),
 *    which leaves nothing to get wrong. Its value is CKM_VENDOR_DEFINED | CKM_AES_GCM (CloudHSM's
 *    cloudhsm_pkcs11_vendor_defs.h; defined below so this builds with any pkcs11.h).
 *
 * One code path for every token: offer a zeroed IV buffer. If C_EncryptInit came back with the buffer still
 * zeroed, the token is a standard one that took the zeros as *our* IV; a fixed IV must never be used twice
 * with a key, so that operation is ended unused and started again with a random IV of our own. Deciding from
 * C_GetTokenInfo's model string instead would tie the code to one vendor's wording.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

#ifndef CKM_CLOUDHSM_AES_GCM
#define CKM_CLOUDHSM_AES_GCM (CKM_VENDOR_DEFINED | CKM_AES_GCM)
#endif

#define IV_LEN 12
#define TAG_BITS 128

static CK_FUNCTION_LIST *p11;
static CK_SESSION_HANDLE session;

static int fail(const char *what, CK_RV rv) {
    fprintf(stderr, "%s failed: CK_RV 0x%lx\n", what, (unsigned long) rv);
    return 0;
}

static void hex(const char *label, const CK_BYTE *b, CK_ULONG n) {
    printf("%s ", label);
    for (CK_ULONG i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static int all_zero(const CK_BYTE *b, CK_ULONG n) {
    for (CK_ULONG i = 0; i < n; i++) if (b[i]) return 0;
    return 1;
}

static int open_token(const char *module, const char *label, const char *pin) {
    void *lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 0; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(lib, "C_GetFunctionList");
    CK_RV rv;
    if (!get || (rv = get(&p11)) != CKR_OK) return fail("C_GetFunctionList", CKR_GENERAL_ERROR);
    if ((rv = p11->C_Initialize(NULL)) != CKR_OK) return fail("C_Initialize", rv);
    CK_SLOT_ID slots[32];
    CK_ULONG n = 32;
    if ((rv = p11->C_GetSlotList(CK_TRUE, slots, &n)) != CKR_OK) return fail("C_GetSlotList", rv);
    size_t len = strlen(label);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        if (p11->C_GetTokenInfo(slots[i], &ti) != CKR_OK || memcmp(ti.label, label, len) != 0
                || (len < 32 && ti.label[len] != ' ')) continue;
        printf("token model: %.16s\n", (const char *) ti.model);
        /* CloudHSM has no read-only sessions: always ask for a read/write one. */
        if ((rv = p11->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &session)) != CKR_OK)
            return fail("C_OpenSession", rv);
        if ((rv = p11->C_Login(session, CKU_USER, (CK_UTF8CHAR *) pin, strlen(pin))) != CKR_OK) return fail("C_Login", rv);
        return 1;
    }
    fprintf(stderr, "no token labelled %s\n", label);
    return 0;
}

/* A session AES key: imported from hex when given (for checking the output elsewhere), else generated. */
static int aes_key(const char *key_hex, CK_OBJECT_HANDLE *key) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_RV rv;
    if (key_hex) {
        CK_BYTE value[32];
        CK_ULONG n = strlen(key_hex) / 2;
        if (n != 16 && n != 24 && n != 32) { fprintf(stderr, "KEY-HEX must be 16, 24 or 32 bytes\n"); return 0; }
        for (CK_ULONG i = 0; i < n; i++) {
            unsigned int byte;
            if (sscanf(key_hex + 2 * i, "%2x", &byte) != 1) { fprintf(stderr, "bad KEY-HEX\n"); return 0; }
            value[i] = (CK_BYTE) byte;
        }
        CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &type, sizeof type},
                {CKA_TOKEN, &no, sizeof no}, {CKA_ENCRYPT, &yes, sizeof yes}, {CKA_DECRYPT, &yes, sizeof yes},
                {CKA_VALUE, value, n}};
        if ((rv = p11->C_CreateObject(session, t, sizeof t / sizeof t[0], key)) != CKR_OK) return fail("C_CreateObject", rv);
        return 1;
    }
    CK_ULONG len = 32;
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ATTRIBUTE t[] = {{CKA_TOKEN, &no, sizeof no}, {CKA_VALUE_LEN, &len, sizeof len},
            {CKA_ENCRYPT, &yes, sizeof yes}, {CKA_DECRYPT, &yes, sizeof yes}};
    if ((rv = p11->C_GenerateKey(session, &gen, t, sizeof t / sizeof t[0], key)) != CKR_OK) return fail("C_GenerateKey", rv);
    return 1;
}

/*
 * C_EncryptInit for CKM_AES_GCM that works on CloudHSM and on a standard token. On return iv holds the IV the
 * ciphertext was made with: the HSM's, or (a standard token) one drawn from C_GenerateRandom.
 */
static CK_RV gcm_encrypt_init(CK_OBJECT_HANDLE key, CK_GCM_PARAMS *params, CK_BYTE iv[IV_LEN]) {
    CK_MECHANISM mech = {CKM_AES_GCM, params, sizeof *params};
    memset(iv, 0, IV_LEN);                 /* CloudHSM refuses anything but zeroes here */
    params->pIv = iv;
    params->ulIvLen = IV_LEN;
    params->ulIvBits = 0;                  /* CloudHSM reads ulIvLen; leave no garbage in ulIvBits */
    CK_RV rv = p11->C_EncryptInit(session, &mech, key);
    if (rv == CKR_MECHANISM_PARAM_INVALID) {
        fprintf(stderr, "CKM_AES_GCM refused our zeroed 12-byte IV buffer: this token wants an IV of its own length\n");
    }
    if (rv != CKR_OK || !all_zero(iv, IV_LEN)) {
        if (rv == CKR_OK) printf("CKM_AES_GCM: the token generated the IV\n");
        return rv;
    }
    /* A standard token took the zeroes as our IV: end that operation unused, then use a random IV. */
    CK_BYTE discard[64];
    CK_ULONG n = sizeof discard;
    p11->C_EncryptFinal(session, discard, &n);
    if ((rv = p11->C_GenerateRandom(session, iv, IV_LEN)) != CKR_OK) return rv;
    printf("CKM_AES_GCM: the application chose the IV\n");
    return p11->C_EncryptInit(session, &mech, key);
}

static int standard_gcm(CK_OBJECT_HANDLE key, CK_BYTE *aad, CK_ULONG aad_len, CK_BYTE *msg, CK_ULONG msg_len) {
    CK_BYTE iv[IV_LEN], ct[256], pt[256];
    CK_GCM_PARAMS params = {NULL, 0, 0, aad, aad_len, TAG_BITS};
    CK_RV rv = gcm_encrypt_init(key, &params, iv);
    if (rv != CKR_OK) return fail("C_EncryptInit(CKM_AES_GCM)", rv);
    CK_ULONG ct_len = sizeof ct;           /* at most 16224 bytes of data per call on CloudHSM */
    if ((rv = p11->C_Encrypt(session, msg, msg_len, ct, &ct_len)) != CKR_OK) return fail("C_Encrypt(CKM_AES_GCM)", rv);
    hex("CKM_AES_GCM: iv", iv, IV_LEN);
    hex("CKM_AES_GCM: ciphertext+tag", ct, ct_len);

    /* Decryption takes the IV back as an ordinary parameter, on every token. */
    CK_GCM_PARAMS dparams = {iv, IV_LEN, 0, aad, aad_len, TAG_BITS};
    CK_MECHANISM dmech = {CKM_AES_GCM, &dparams, sizeof dparams};
    CK_ULONG pt_len = sizeof pt;
    if ((rv = p11->C_DecryptInit(session, &dmech, key)) != CKR_OK) return fail("C_DecryptInit(CKM_AES_GCM)", rv);
    if ((rv = p11->C_Decrypt(session, ct, ct_len, pt, &pt_len)) != CKR_OK) return fail("C_Decrypt(CKM_AES_GCM)", rv);
    if (pt_len != msg_len || memcmp(pt, msg, msg_len) != 0) { fprintf(stderr, "CKM_AES_GCM: round trip differs\n"); return 0; }
    printf("CKM_AES_GCM: decrypted to the message\n");
    return 1;
}

static int cloudhsm_gcm(CK_OBJECT_HANDLE key, CK_BYTE *aad, CK_ULONG aad_len, CK_BYTE *msg, CK_ULONG msg_len) {
    CK_MECHANISM_INFO info;
    CK_SESSION_INFO si;
    if (p11->C_GetSessionInfo(session, &si) != CKR_OK || p11->C_GetMechanismInfo(si.slotID, CKM_CLOUDHSM_AES_GCM, &info) != CKR_OK) {
        printf("CKM_CLOUDHSM_AES_GCM: not offered by this token (a CloudHSM vendor mechanism)\n");
        return 1;
    }
    CK_BYTE out[256], pt[256];
    CK_GCM_PARAMS params = {NULL, 0, 0, aad, aad_len, TAG_BITS};   /* pIv must be NULL */
    CK_MECHANISM mech = {CKM_CLOUDHSM_AES_GCM, &params, sizeof params};
    CK_ULONG out_len = sizeof out;
    CK_RV rv;
    if ((rv = p11->C_EncryptInit(session, &mech, key)) != CKR_OK) return fail("C_EncryptInit(CKM_CLOUDHSM_AES_GCM)", rv);
    if ((rv = p11->C_Encrypt(session, msg, msg_len, out, &out_len)) != CKR_OK) return fail("C_Encrypt(CKM_CLOUDHSM_AES_GCM)", rv);
    hex("CKM_CLOUDHSM_AES_GCM: iv+ciphertext+tag", out, out_len);
    CK_ULONG pt_len = sizeof pt;
    if ((rv = p11->C_DecryptInit(session, &mech, key)) != CKR_OK) return fail("C_DecryptInit(CKM_CLOUDHSM_AES_GCM)", rv);
    if ((rv = p11->C_Decrypt(session, out, out_len, pt, &pt_len)) != CKR_OK) return fail("C_Decrypt(CKM_CLOUDHSM_AES_GCM)", rv);
    if (pt_len != msg_len || memcmp(pt, msg, msg_len) != 0) { fprintf(stderr, "CKM_CLOUDHSM_AES_GCM: round trip differs\n"); return 0; }
    printf("CKM_CLOUDHSM_AES_GCM: decrypted to the message\n");
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s MODULE TOKEN-LABEL USER-PIN [KEY-HEX]\n", argv[0]);
        return 2;
    }
    CK_BYTE aad[] = "header";
    CK_BYTE msg[] = "attack at dawn";
    CK_OBJECT_HANDLE key;
    int ok = open_token(argv[1], argv[2], argv[3]) && aes_key(argc == 5 ? argv[4] : NULL, &key)
            && standard_gcm(key, aad, sizeof aad - 1, msg, sizeof msg - 1)
            && cloudhsm_gcm(key, aad, sizeof aad - 1, msg, sizeof msg - 1);
    if (p11) {
        if (session) p11->C_CloseSession(session);
        p11->C_Finalize(NULL);
    }
    return ok ? 0 : 1;
}
