/*
 * gcm_habits: AES-GCM as an application written for a standard PKCS#11 token does it, step by step, so the
 * test can compare a cloudhsm-profile token (CloudHSM's rules) with a pkcs11 one (the specification's).
 *
 *   gcm_habits MODULE LABEL PIN
 *
 * Prints "STEP 0x<rv>" per step:
 *   own-iv-init      C_EncryptInit(CKM_AES_GCM) with the application's IV 01..0c
 *   zeroed-iv-init   C_EncryptInit with a zeroed 12-byte pIv, then "iv-filled yes|no": did the token write one?
 *   update           C_EncryptUpdate after that init (multi-part GCM); the operation is then ended either way
 *   encrypt-16224    single-part C_Encrypt of 16224 bytes (CloudHSM's documented maximum)
 *   encrypt-16225    one byte more
 * A zeroed IV is used here only because CloudHSM requires it; on a standard token it is a fixed IV, which a
 * real application must never reuse (see examples/cloudhsm-gcm/gcm.c for the portable way).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>
#include "user_session.h"

static CK_BYTE data[16225];
static CK_BYTE out[16225 + 16];

static CK_RV zeroed_init(CK_OBJECT_HANDLE key, CK_BYTE iv[12]) {
    memset(iv, 0, 12);
    CK_GCM_PARAMS p = {iv, 12, 0, NULL, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof p};
    return f->C_EncryptInit(s, &m, key);
}

static CK_RV encrypt(CK_OBJECT_HANDLE key, CK_ULONG n) {
    CK_BYTE iv[12];
    CK_RV rv = zeroed_init(key, iv);
    CK_ULONG len = sizeof out;
    return rv != CKR_OK ? rv : f->C_Encrypt(s, data, n, out, &len);
}

int main(int argc, char **argv) {
    alarm(60);
    if (argc != 4 || !open_token(argv[1], argv[2], argv[3])) { fprintf(stderr, "cannot open the token\n"); return 2; }
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ULONG len = 32;
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ATTRIBUTE t[] = {{CKA_TOKEN, &no, sizeof no}, {CKA_VALUE_LEN, &len, sizeof len}, {CKA_ENCRYPT, &yes, sizeof yes}};
    CK_OBJECT_HANDLE key;
    CK_RV rv = f->C_GenerateKey(s, &gen, t, 3, &key);
    if (rv != CKR_OK) { say("generate", rv); return 3; }

    CK_BYTE own[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    CK_GCM_PARAMS p = {own, 12, 0, NULL, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof p};
    rv = f->C_EncryptInit(s, &m, key);
    say("own-iv-init", rv);
    if (rv == CKR_OK) {
        CK_ULONG n = sizeof out;
        f->C_Encrypt(s, data, 16, out, &n);
    }

    CK_BYTE iv[12];
    say("zeroed-iv-init", zeroed_init(key, iv));
    CK_BYTE zero[12] = {0};
    printf("iv-filled %s\n", memcmp(iv, zero, 12) ? "yes" : "no");
    CK_ULONG n = sizeof out;
    rv = f->C_EncryptUpdate(s, data, 16, out, &n);
    say("update", rv);
    if (rv == CKR_OK) {
        n = sizeof out;
        f->C_EncryptFinal(s, out, &n);
    }

    say("encrypt-16224", encrypt(key, 16224));
    say("encrypt-16225", encrypt(key, 16225));
    f->C_CloseSession(s);
    f->C_Finalize(NULL);
    return 0;
}
