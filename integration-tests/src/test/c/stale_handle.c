/*
 * stale_handle: one process keeps a token key's handle while other processes change the key.
 *
 *   stale_handle MODULE LABEL PIN watch      makes the AES token key "stale-key", encrypts with it, then at
 *                                            each line read from stdin tries it again; prints "STEP 0x<rv>"
 *   stale_handle MODULE LABEL PIN restrict   sets CKA_ENCRYPT false on "stale-key" (another process)
 *
 * watch prints "ready" after each step and waits for a line on stdin before the next; alarm() bounds it.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>
#include "user_session.h"

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

static CK_RV encrypt_init(CK_OBJECT_HANDLE key) {
    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0};
    CK_RV rv = f->C_EncryptInit(s, &ecb, key);
    if (rv == CKR_OK) {
        CK_BYTE in[16] = {0}, out[16];
        CK_ULONG len = sizeof out;
        rv = f->C_Encrypt(s, in, sizeof in, out, &len);
    }
    return rv;
}

static void next_step(void) {
    char line[64];
    printf("ready\n");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) exit(5);
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: stale_handle MODULE LABEL PIN watch|restrict\n"); return 2; }
    alarm(120);
    if (!open_token(argv[1], argv[2], argv[3])) { fprintf(stderr, "cannot open the token\n"); return 3; }
    CK_ATTRIBUTE byLabel = {CKA_LABEL, "stale-key", 9};
    if (strcmp(argv[4], "restrict") == 0) {
        CK_OBJECT_HANDLE key;
        CK_ULONG found = 0;
        f->C_FindObjectsInit(s, &byLabel, 1);
        f->C_FindObjects(s, &key, 1, &found);
        f->C_FindObjectsFinal(s);
        CK_ATTRIBUTE off = {CKA_ENCRYPT, &no, 1};
        CK_RV rv = found == 1 ? f->C_SetAttributeValue(s, key, &off, 1) : CKR_GENERAL_ERROR;
        say("restrict", rv);
        f->C_Finalize(NULL);
        return rv != CKR_OK;
    }
    CK_ULONG len = 16;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, &yes, 1}, {CKA_ENCRYPT, &yes, 1},
                        {CKA_MODIFIABLE, &yes, 1}, byLabel};
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0};
    CK_OBJECT_HANDLE key;
    say("generate", f->C_GenerateKey(s, &gen, t, 5, &key));
    say("before", encrypt_init(key));
    next_step();                                   /* another process turns CKA_ENCRYPT off */
    say("after-restrict", encrypt_init(key));
    next_step();                                   /* another process destroys the key */
    say("encrypt-after-destroy", encrypt_init(key));
    char label[32];
    CK_ATTRIBUTE get = {CKA_LABEL, label, sizeof label};
    say("get-attribute-after-destroy", f->C_GetAttributeValue(s, key, &get, 1));
    say("destroy-after-destroy", f->C_DestroyObject(s, key));
    f->C_Finalize(NULL);
    return 0;
}
