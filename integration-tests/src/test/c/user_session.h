/*
 * user_session.h: the module, token and logged-in user session a one-file test consumer works in, and its
 * "STEP 0x<rv>" output lines. Included by one .c file each (static definitions).
 */
#ifndef JHSM_ITEST_USER_SESSION_H
#define JHSM_ITEST_USER_SESSION_H

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST *f;
static CK_SESSION_HANDLE s;

static void say(const char *step, CK_RV rv) {
    printf("%s 0x%lx\n", step, (unsigned long) rv);
    fflush(stdout);
}

/* Loads MODULE, opens a read/write session on the token labelled LABEL and logs the user in with PIN. */
static int open_token(const char *module, const char *label, const char *pin) {
    void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 0; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    if (!get || get(&f) != CKR_OK || f->C_Initialize(NULL) != CKR_OK) return 0;
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    if (f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK) return 0;
    for (CK_ULONG i = 0; i < n && !s; i++) {
        CK_TOKEN_INFO ti;
        size_t len = strlen(label);
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && memcmp(ti.label, label, len) == 0
                && (len == 32 || ti.label[len] == ' '))
            f->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    }
    return s && f->C_Login(s, CKU_USER, (CK_UTF8CHAR *) pin, strlen(pin)) == CKR_OK;
}

#endif
