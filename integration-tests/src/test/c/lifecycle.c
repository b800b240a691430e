/*
 * The operation lifecycle through the C ABI (PKCS#11 base specification §5.2 and each function's text):
 * a length query consumes nothing, so the call after it returns what it would have returned without it;
 * an AEAD decryption is never CKR_OK without a verified tag; every error other than CKR_BUFFER_TOO_SMALL
 * ends the operation, including the ones found before the token is reached (a NULL pulLen).
 * Each expected output is the same call on a fresh operation, with no length query before it.
 * Usage: lifecycle MODULE TOKEN_LABEL USER_PIN. Prints one line per check and "N passed, N failed";
 * the exit status is the number of failures.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST *f;
static CK_SESSION_HANDLE s;
static int passed, failed;

static void check(const char *what, int ok, CK_RV rv) {
    if (ok) passed++; else failed++;
    printf("%-78s | rv 0x%lx | %s\n", what, (unsigned long)rv, ok ? "PASS" : "FAIL");
}

static void die(const char *what, CK_RV rv) {
    printf("setup failed: %s: rv 0x%lx\n", what, (unsigned long)rv);
    exit(99);
}

static CK_BYTE IV[16], GCM_IV[12];
static CK_GCM_PARAMS gcm_params = {GCM_IV, sizeof GCM_IV, 96, NULL, 0, 128};
static CK_MECHANISM CBC_PAD = {CKM_AES_CBC_PAD, IV, sizeof IV};
static CK_MECHANISM GCM = {CKM_AES_GCM, &gcm_params, sizeof gcm_params};
static CK_MECHANISM SHA256 = {CKM_SHA256, NULL, 0};
static CK_BYTE D1[] = "first message, thirty-two bytes!";
static CK_BYTE D2[] = "second message that differs.....";

/* One C_Encrypt on a fresh operation: the reference output. */
static CK_ULONG encrypt_once(CK_MECHANISM *m, CK_OBJECT_HANDLE k, CK_BYTE *in, CK_ULONG n, CK_BYTE *out) {
    CK_ULONG len = 256;
    CK_RV rv = f->C_EncryptInit(s, m, k);
    if (rv == CKR_OK) rv = f->C_Encrypt(s, in, n, out, &len);
    if (rv != CKR_OK) die("reference C_Encrypt", rv);
    return len;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: lifecycle MODULE TOKEN_LABEL USER_PIN\n"); return 2; }
    alarm(120);   /* a hang fails the run */
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("dlopen: %s\n", dlerror()); return 99; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    CK_RV rv = get(&f);
    if (rv == CKR_OK) rv = f->C_Initialize(NULL);
    if (rv != CKR_OK) die("C_Initialize", rv);
    CK_SLOT_ID slots[16];
    CK_ULONG nslots = 16;
    if ((rv = f->C_GetSlotList(CK_TRUE, slots, &nslots)) != CKR_OK) die("C_GetSlotList", rv);
    CK_SLOT_ID slot = (CK_SLOT_ID)-1;
    for (CK_ULONG i = 0; i < nslots; i++) {
        CK_TOKEN_INFO ti;
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && strncmp((char *)ti.label, argv[2], strlen(argv[2])) == 0) slot = slots[i];
    }
    if (slot == (CK_SLOT_ID)-1) die("no token with that label", 0);
    if ((rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) != CKR_OK) die("C_OpenSession", rv);
    if ((rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR *)argv[3], strlen(argv[3]))) != CKR_OK) die("C_Login", rv);

    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_BBOOL yes = CK_TRUE;
    CK_BYTE value[16] = {1, 2, 3};
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}, {CKA_VALUE, value, sizeof value},
                        {CKA_ENCRYPT, &yes, 1}, {CKA_DECRYPT, &yes, 1}};
    CK_OBJECT_HANDLE k;
    if ((rv = f->C_CreateObject(s, t, 5, &k)) != CKR_OK) die("C_CreateObject", rv);

    CK_BYTE ref[256], out[256], tail[64];
    CK_ULONG len, n, m;

    /* C_Encrypt(d1, NULL) then C_EncryptUpdate(d2) + C_EncryptFinal = E(d2) */
    CK_ULONG want = encrypt_once(&CBC_PAD, k, D2, 32, ref);
    f->C_EncryptInit(s, &CBC_PAD, k);
    len = 0;
    rv = f->C_Encrypt(s, D1, 32, NULL, &len);
    n = sizeof out;
    rv = f->C_EncryptUpdate(s, D2, 32, out, &n);
    m = sizeof tail;
    CK_RV rv2 = f->C_EncryptFinal(s, tail, &m);
    memcpy(out + n, tail, m);
    check("C_Encrypt(d1,NULL) then C_EncryptUpdate(d2)+Final gives E(d2), not E(d1)",
          rv == CKR_OK && rv2 == CKR_OK && n + m == want && memcmp(out, ref, want) == 0, rv);

    /* C_DigestUpdate("a"), C_DigestFinal(NULL), C_Digest("bc") is CKR_OPERATION_ACTIVE and ends the digest */
    f->C_DigestInit(s, &SHA256);
    f->C_DigestUpdate(s, (CK_BYTE *)"a", 1);
    len = 0;
    f->C_DigestFinal(s, NULL, &len);
    n = sizeof out;
    rv = f->C_Digest(s, (CK_BYTE *)"bc", 2, out, &n);
    check("C_Digest after C_DigestUpdate and a C_DigestFinal length query is CKR_OPERATION_ACTIVE", rv == CKR_OPERATION_ACTIVE, rv);
    rv = f->C_DigestInit(s, &SHA256);
    check("... and ended the operation: C_DigestInit succeeds", rv == CKR_OK, rv);
    f->C_DigestInit(s, NULL);

    /* C_EncryptUpdate(d, NULL) consumes nothing: C_EncryptFinal gives E(empty) */
    want = encrypt_once(&CBC_PAD, k, D1, 0, ref);
    f->C_EncryptInit(s, &CBC_PAD, k);
    len = 0;
    f->C_EncryptUpdate(s, D1, 32, NULL, &len);
    m = sizeof tail;
    rv = f->C_EncryptFinal(s, tail, &m);
    check("C_EncryptUpdate(d,NULL) consumes nothing: C_EncryptFinal gives E(empty)", rv == CKR_OK && m == want && memcmp(tail, ref, m) == 0, rv);

    /* AES-GCM with a corrupted tag: never CKR_OK */
    CK_BYTE sealed[256];
    CK_ULONG sealed_len = encrypt_once(&GCM, k, D1, 32, sealed);
    sealed[sealed_len - 1] ^= 1;
    f->C_DecryptInit(s, &GCM, k);
    len = 0;
    f->C_DecryptUpdate(s, sealed, sealed_len, NULL, &len);
    len = 0;
    f->C_DecryptUpdate(s, sealed, sealed_len, NULL, &len);
    m = sizeof tail;
    rv = f->C_DecryptFinal(s, tail, &m);
    check("GCM: two C_DecryptUpdate length queries then C_DecryptFinal is not CKR_OK (nothing submitted)",
          rv == CKR_ENCRYPTED_DATA_LEN_RANGE, rv);
    f->C_DecryptInit(s, &GCM, k);
    n = sizeof out;
    f->C_DecryptUpdate(s, sealed, sealed_len, out, &n);
    m = sizeof tail;
    rv = f->C_DecryptFinal(s, tail, &m);
    check("GCM: a tampered tag over the submitted data is CKR_ENCRYPTED_DATA_INVALID", rv == CKR_ENCRYPTED_DATA_INVALID, rv);

    /* Errors found before the token is reached end the operation too */
    f->C_EncryptInit(s, &CBC_PAD, k);
    rv = f->C_Encrypt(s, D1, 32, out, NULL);
    check("C_Encrypt with a NULL pulEncryptedDataLen is CKR_ARGUMENTS_BAD", rv == CKR_ARGUMENTS_BAD, rv);
    rv = f->C_EncryptInit(s, &CBC_PAD, k);
    check("... and ended the operation: C_EncryptInit succeeds", rv == CKR_OK, rv);
    rv = f->C_EncryptUpdate(s, NULL, 16, out, &n);
    check("C_EncryptUpdate with NULL input and a length is CKR_ARGUMENTS_BAD", rv == CKR_ARGUMENTS_BAD, rv);
    rv = f->C_EncryptInit(s, &CBC_PAD, k);
    check("... and ended the operation: C_EncryptInit succeeds", rv == CKR_OK, rv);
    f->C_EncryptInit(s, NULL, 0);
    f->C_DigestInit(s, &SHA256);
    f->C_DigestUpdate(s, D1, 32);
    rv = f->C_DigestFinal(s, out, NULL);
    check("C_DigestFinal with a NULL pulDigestLen is CKR_ARGUMENTS_BAD", rv == CKR_ARGUMENTS_BAD, rv);
    rv = f->C_DigestInit(s, &SHA256);
    check("... and ended the operation: C_DigestInit succeeds", rv == CKR_OK, rv);
    f->C_DigestInit(s, NULL);

    /* CKR_BUFFER_TOO_SMALL keeps the operation and spends nothing: the next call, whatever its input, is answered
       as if it came first */
    want = encrypt_once(&CBC_PAD, k, D1, 32, ref);
    f->C_EncryptInit(s, &CBC_PAD, k);
    len = 8;
    rv = f->C_Encrypt(s, D1, 32, out, &len);
    check("C_Encrypt into 8 bytes is CKR_BUFFER_TOO_SMALL with the length", rv == CKR_BUFFER_TOO_SMALL && len == want, rv);
    n = sizeof out;
    rv = f->C_Encrypt(s, D1, 32, out, &n);
    check("... and the same call with a large buffer gives E(d1)", rv == CKR_OK && n == want && memcmp(out, ref, n) == 0, rv);
    want = encrypt_once(&CBC_PAD, k, D2, 32, ref);
    f->C_EncryptInit(s, &CBC_PAD, k);
    len = 8;
    f->C_Encrypt(s, D1, 32, out, &len);
    n = sizeof out;
    rv = f->C_Encrypt(s, D2, 32, out, &n);
    check("... while another input after it gets its own E(d2), never E(d1)", rv == CKR_OK && n == want && memcmp(out, ref, n) == 0, rv);

    f->C_DestroyObject(s, k);
    f->C_Finalize(NULL);
    printf("%d passed, %d failed\n", passed, failed);
    return failed;
}
