/*
 * What an application meets through the C ABI on a token, for the cloudhsm profile's functions, sessions,
 * mechanisms and data sizes (CloudHSM's pkcs11-apis.html, pkcs11-mechanisms.html, ki-pkcs11-sdk.html). It checks
 * nothing itself: it prints one line "CALL rv 0xRV" (or "CALL value N") per call, and CloudHsmProfileCTest compares
 * them with what the token's profile gives.
 * Usage: cloudhsm_profile MODULE USER_PIN. Exit status 0 unless the setup failed (99).
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

#define SHA3_256 0x2b0UL            /* CKM_SHA3_256 (PKCS#11 3.0), not offered by SDK 5 */
#define MESSAGE_ENCRYPT_FLAG 0x2UL  /* CKF_MESSAGE_ENCRYPT (PKCS#11 3.0) */

static CK_FUNCTION_LIST *f;

static void show(const char *call, CK_RV rv) {
    printf("%s rv 0x%lx\n", call, (unsigned long)rv);
}

static void die(const char *what, CK_RV rv) {
    printf("setup failed: %s: rv 0x%lx\n", what, (unsigned long)rv);
    exit(99);
}

static CK_RV notify(CK_SESSION_HANDLE h, CK_NOTIFICATION event, void *application) {
    (void)h; (void)event; (void)application;
    return CKR_OK;
}

static CK_OBJECT_HANDLE secret(CK_SESSION_HANDLE s, CK_MECHANISM_TYPE generator, CK_ULONG length) {
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_VALUE_LEN, &length, sizeof length}, {CKA_TOKEN, &no, sizeof no}, {CKA_ENCRYPT, &yes, sizeof yes},
        {CKA_DECRYPT, &yes, sizeof yes}, {CKA_SIGN, &yes, sizeof yes}, {CKA_VERIFY, &yes, sizeof yes},
    };
    CK_MECHANISM m = {generator, NULL, 0};
    CK_OBJECT_HANDLE k;
    CK_RV rv = f->C_GenerateKey(s, &m, t, sizeof t / sizeof t[0], &k);
    if (rv != CKR_OK) die("C_GenerateKey", rv);
    return k;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: cloudhsm_profile MODULE USER_PIN\n"); return 2; }
    alarm(120);   /* a hang fails the run */
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("dlopen: %s\n", dlerror()); return 99; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    CK_RV rv = get(&f);
    if (rv == CKR_OK) rv = f->C_Initialize(NULL);
    if (rv != CKR_OK) die("C_Initialize", rv);
    CK_SLOT_ID slot = 0;

    /* Sessions */
    CK_SESSION_HANDLE h;
    int application = 1;
    rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, &application, notify, &h);
    show("C_OpenSession(Notify)", rv);
    if (rv == CKR_OK) f->C_CloseSession(h);
    CK_SESSION_HANDLE ro;
    show("C_OpenSession(read-only)", f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &ro));
    CK_SESSION_HANDLE s;
    if ((rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) != CKR_OK) die("C_OpenSession", rv);
    if ((rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR *)argv[2], strlen(argv[2]))) != CKR_OK) die("C_Login", rv);

    /* Functions SDK 5 lacks */
    CK_OBJECT_HANDLE aes = secret(s, CKM_AES_KEY_GEN, 32);
    CK_UTF8CHAR label[] = "renamed";
    CK_ATTRIBUTE relabel = {CKA_LABEL, label, sizeof label - 1};
    show("C_SetAttributeValue", f->C_SetAttributeValue(s, aes, &relabel, 1));
    CK_OBJECT_HANDLE copy;
    show("C_CopyObject", f->C_CopyObject(s, aes, NULL, 0, &copy));
    CK_ULONG size;
    show("C_GetObjectSize", f->C_GetObjectSize(s, aes, &size));
    CK_BYTE seed[8] = {0};
    show("C_SeedRandom", f->C_SeedRandom(s, seed, sizeof seed));
    CK_ULONG state_len;
    show("C_GetOperationState", f->C_GetOperationState(s, NULL, &state_len));
    CK_BYTE part[16] = {0}, out[64];
    CK_ULONG out_len = sizeof out;
    show("C_DigestEncryptUpdate", f->C_DigestEncryptUpdate(s, part, sizeof part, out, &out_len));
    CK_SLOT_ID event_slot;
    show("C_WaitForSlotEvent", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &event_slot, NULL));

    /* Mechanisms */
    CK_MECHANISM_INFO info;
    show("C_GetMechanismInfo(CKM_SHA3_256)", f->C_GetMechanismInfo(slot, SHA3_256, &info));
    CK_MECHANISM sha3 = {SHA3_256, NULL, 0};
    rv = f->C_DigestInit(s, &sha3);
    show("C_DigestInit(CKM_SHA3_256)", rv);
    if (rv == CKR_OK) {
        out_len = sizeof out;
        f->C_DigestFinal(s, out, &out_len);
    }
    CK_ULONG count = 0;
    if ((rv = f->C_GetMechanismList(slot, NULL, &count)) != CKR_OK) die("C_GetMechanismList", rv);
    CK_MECHANISM_TYPE *types = calloc(count, sizeof *types);
    if ((rv = f->C_GetMechanismList(slot, types, &count)) != CKR_OK) die("C_GetMechanismList", rv);
    int eddsa = 0;
    for (CK_ULONG i = 0; i < count; i++) eddsa |= types[i] == CKM_EDDSA;
    printf("C_GetMechanismList has CKM_EDDSA value %d\n", eddsa);
    if ((rv = f->C_GetMechanismInfo(slot, CKM_AES_GCM, &info)) != CKR_OK) die("C_GetMechanismInfo(CKM_AES_GCM)", rv);
    printf("C_GetMechanismInfo(CKM_AES_GCM) has CKF_MESSAGE_ENCRYPT value %d\n", (info.flags & MESSAGE_ENCRYPT_FLAG) != 0);

    /* SDK 5's maximum data size: CKM_SHA256_HMAC 16288 bytes, CKM_AES_CBC 16272 bytes */
    static CK_BYTE data[16400];
    CK_OBJECT_HANDLE hmac_key = secret(s, CKM_GENERIC_SECRET_KEY_GEN, 32);
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE mac[32];
    CK_ULONG mac_len = sizeof mac;
    if ((rv = f->C_SignInit(s, &hmac, hmac_key)) != CKR_OK) die("C_SignInit", rv);
    show("C_Sign(CKM_SHA256_HMAC, 16288 bytes)", f->C_Sign(s, data, 16288, mac, &mac_len));
    if ((rv = f->C_SignInit(s, &hmac, hmac_key)) != CKR_OK) die("C_SignInit", rv);
    mac_len = sizeof mac;
    show("C_Sign(CKM_SHA256_HMAC, 16289 bytes)", f->C_Sign(s, data, 16289, mac, &mac_len));
    CK_BYTE iv[16] = {0};
    CK_MECHANISM cbc = {CKM_AES_CBC, iv, sizeof iv};
    static CK_BYTE ciphertext[16400];
    CK_ULONG ct_len = sizeof ciphertext;
    if ((rv = f->C_EncryptInit(s, &cbc, aes)) != CKR_OK) die("C_EncryptInit", rv);
    show("C_Encrypt(CKM_AES_CBC, 16288 bytes)", f->C_Encrypt(s, data, 16288, ciphertext, &ct_len));

    f->C_CloseAllSessions(slot);
    f->C_Finalize(NULL);
    return 0;
}
