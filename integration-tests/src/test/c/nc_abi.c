/*
 * nc_abi MODULE PIN CASE: one case of dist/libjhsm-client.so's C ABI (NativeClientAbiTest); prints "FAIL …" for
 * each check that does not hold and "ok CASE" when all did; exit status 1 on a failure. alarm() bounds the run.
 *   lists        the function lists and interfaces, before C_Initialize
 *   lifecycle    calls before C_Initialize, init args, C_Finalize
 *   two-call     the length query and CKR_BUFFER_TOO_SMALL keep the operation; a NULL pulLen ends it
 *   attributes   C_GetAttributeValue's per-attribute rules, a nested CKA_WRAP_TEMPLATE
 *   fork         a child of an initialised parent: CKR_CRYPTOKI_NOT_INITIALIZED until its own C_Initialize
 *   threads      8 threads sign at once, each in a session of its own: every MAC is the one OpenSSL computes
 *   (and the mechanism cases of nc_abi_params.c)
 */
#include "nc_abi.h"
#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void *nc_lib;
CK_FUNCTION_LIST *f;
NC_LIST *f3;
int failures;

void check(int ok, const char *what, const char *fmt, ...) {
    if (ok) return;
    failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", what);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static CK_SLOT_ID slot;

CK_SESSION_HANDLE nc_login(const char *pin) {
    CK_SESSION_HANDLE s = 0;
    CK_ULONG n = 1;
    CHECK_RV(f->C_Initialize(NULL), CKR_OK);
    CHECK_RV(f->C_GetSlotList(CK_TRUE, &slot, &n), CKR_OK);
    CHECK_RV(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s), CKR_OK);
    CHECK_RV(f->C_Login(s, CKU_USER, (CK_UTF8CHAR *) pin, strlen(pin)), CKR_OK);
    return s;
}

CK_OBJECT_HANDLE nc_aes_key(CK_SESSION_HANDLE s, const CK_BYTE *value, CK_ULONG len) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}, {CKA_VALUE, (void *) value, len},
                        {CKA_ENCRYPT, &yes, 1}, {CKA_DECRYPT, &yes, 1}};
    CK_OBJECT_HANDLE k = 0;
    CHECK_RV(f->C_CreateObject(s, t, 5, &k), CKR_OK);
    return k;
}

CK_ULONG nc_attr(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, CK_BYTE *out, CK_ULONG cap) {
    CK_ATTRIBUTE a = {type, out, cap};
    CHECK_RV(f->C_GetAttributeValue(s, o, &a, 1), CKR_OK);
    return a.ulValueLen;
}

static void lists(void) {
    CK_FUNCTION_LIST *l = NULL;
    CHECK_RV(f->C_GetFunctionList(NULL), CKR_ARGUMENTS_BAD);
    CHECK_RV(f->C_GetFunctionList(&l), CKR_OK);
    check(l && l->version.major == 2 && l->version.minor == 40, "C_GetFunctionList", "the 2.40 list");
    check(l && (void *) l->C_Sign == dlsym(nc_lib, "C_Sign"), "C_GetFunctionList", "C_Sign is the exported C_Sign");
    CK_RV (*get_list)(NC_INTERFACE *, CK_ULONG *) = (CK_RV (*)(NC_INTERFACE *, CK_ULONG *)) dlsym(nc_lib, "C_GetInterfaceList");
    CK_RV (*get)(CK_UTF8CHAR *, CK_VERSION *, NC_INTERFACE **, CK_FLAGS) =
        (CK_RV (*)(CK_UTF8CHAR *, CK_VERSION *, NC_INTERFACE **, CK_FLAGS)) dlsym(nc_lib, "C_GetInterface");
    check(get_list && get, "dlsym", "C_GetInterfaceList and C_GetInterface are exported");
    if (!get_list || !get) return;
    CK_ULONG count = 0;
    NC_INTERFACE ifs[3];
    CHECK_RV(get_list(NULL, &count), CKR_OK);
    check(count == 3, "C_GetInterfaceList(NULL)", "count %lu, expected 3", count);
    count = 1;
    CHECK_RV(get_list(ifs, &count), CKR_BUFFER_TOO_SMALL);
    check(count == 3, "C_GetInterfaceList(too small)", "count %lu, expected 3", count);
    CHECK_RV(get_list(ifs, &count), CKR_OK);
    NC_INTERFACE *i = NULL;
    CHECK_RV(get(NULL, NULL, &i, 0), CKR_OK);
    NC_LIST *first = i ? i->pFunctionList : NULL;
    check(first && first->version.major == 3 && first->version.minor == 0, "C_GetInterface(NULL, NULL)", "the 3.0 list");
    check(i && strcmp((char *) i->pInterfaceName, "PKCS 11") == 0 && i->flags == 0, "C_GetInterface", "\"PKCS 11\", flags 0");
    CK_VERSION v32 = {3, 2};
    CHECK_RV(get((CK_UTF8CHAR *) "PKCS 11", &v32, &i, 0), CKR_OK);
    f3 = i ? i->pFunctionList : NULL;
    check(f3 && f3->version.major == 3 && f3->version.minor == 2, "C_GetInterface(3.2)", "the 3.2 list");
    for (int k = 0; f3 && k < 104; k++) check(f3->fn[k] != NULL, "3.2 list", "entry %d is NULL", k);
    check(f3 && first && memcmp(f3->fn, first->fn, 92 * sizeof(void *)) == 0 && memcmp(f3->fn, &l->C_Initialize, 68 * sizeof(void *)) == 0,
          "lists", "the 3.0 and 2.40 lists are the 3.2 list's prefixes");
    CK_RV (*async_get_id)(CK_SESSION_HANDLE, CK_UTF8CHAR *, CK_ULONG *) = f3 ? f3->fn[NC_ASYNC_GET_ID] : NULL;
    CK_ULONG id;
    if (async_get_id) CHECK_RV(async_get_id(1, (CK_UTF8CHAR *) "x", &id), CKR_FUNCTION_NOT_SUPPORTED);
    CK_VERSION v99 = {9, 9};
    CHECK_RV(get((CK_UTF8CHAR *) "PKCS 11", &v99, &i, 0), CKR_ARGUMENTS_BAD);
    CHECK_RV(get((CK_UTF8CHAR *) "Vendor", NULL, &i, 0), CKR_ARGUMENTS_BAD);
    CHECK_RV(get(NULL, NULL, NULL, 0), CKR_ARGUMENTS_BAD);
}

static CK_RV mutex_fn(void *p) { (void) p; return CKR_OK; }

static void lifecycle(const char *pin) {
    CK_INFO info;
    CK_ULONG n = 0;
    CK_SESSION_HANDLE s;
    CHECK_RV(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(f->C_Sign(1, NULL, 0, NULL, NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
    CHECK_RV(f->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
    CK_C_INITIALIZE_ARGS a = {0};
    a.pReserved = &a;
    CHECK_RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
    memset(&a, 0, sizeof a);
    a.CreateMutex = (CK_CREATEMUTEX) mutex_fn;
    a.LockMutex = (CK_LOCKMUTEX) mutex_fn;
    CHECK_RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
    a.DestroyMutex = (CK_DESTROYMUTEX) mutex_fn;
    a.UnlockMutex = (CK_UNLOCKMUTEX) mutex_fn;
    CHECK_RV(f->C_Initialize(&a), CKR_CANT_LOCK);
    CHECK_RV(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    a.flags = CKF_OS_LOCKING_OK;
    CHECK_RV(f->C_Initialize(&a), CKR_OK);
    CHECK_RV(f->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    CHECK_RV(f->C_GetInfo(NULL), CKR_ARGUMENTS_BAD);
    memset(&info, 0, sizeof info);
    CHECK_RV(f->C_GetInfo(&info), CKR_OK);
    check(memchr(info.manufacturerID, 0, 32) == NULL && info.manufacturerID[31] == ' ', "CK_INFO",
          "manufacturerID is blank-padded, not NUL-terminated");
    check(info.cryptokiVersion.major >= 2, "CK_INFO", "a Cryptoki version");
    CHECK_RV(f->C_Finalize(&a), CKR_ARGUMENTS_BAD);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
    CHECK_RV(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    /* A library that may create no thread still works: pings and discovery are served during calls. */
    memset(&a, 0, sizeof a);
    a.flags = CKF_LIBRARY_CANT_CREATE_OS_THREADS;
    CHECK_RV(f->C_Initialize(&a), CKR_OK);
    CK_TOKEN_INFO t;
    CHECK_RV(f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    check(n >= 1, "C_GetSlotList", "%lu slots", n);
    CK_SLOT_ID slots[8];
    n = 0;
    CHECK_RV(f->C_GetSlotList(CK_TRUE, slots, &n), CKR_BUFFER_TOO_SMALL);
    check(n >= 1, "C_GetSlotList(too small)", "count %lu", n);
    CHECK_RV(f->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    CHECK_RV(f->C_GetTokenInfo(slots[0], &t), CKR_OK);
    check(memchr(t.label, 0, 32) == NULL, "CK_TOKEN_INFO", "label blank-padded");
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
    s = nc_login(pin);
    CK_SESSION_INFO si;
    CHECK_RV(f->C_GetSessionInfo(s, &si), CKR_OK);
    check(si.state == CKS_RW_USER_FUNCTIONS, "C_GetSessionInfo", "state %lu, expected R/W user", si.state);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

/* The two-call protocol with C_Sign (CKM_SHA256_HMAC: 32 bytes). */
static void two_call(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE;
    CK_BYTE value[32];
    memset(value, 0x42, sizeof value);
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}, {CKA_VALUE, value, 32},
                        {CKA_SIGN, &yes, 1}};
    CK_OBJECT_HANDLE k = 0;
    CHECK_RV(f->C_CreateObject(s, t, 4, &k), CKR_OK);
    CK_MECHANISM m = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE data[] = "two calls", mac[64], first[32];
    CK_ULONG len = 0;
    CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
    CHECK_RV(f->C_Sign(s, data, 9, NULL, &len), CKR_OK);
    check(len == 32, "C_Sign(NULL)", "length %lu, expected 32", len);
    len = 31;
    CHECK_RV(f->C_Sign(s, data, 9, mac, &len), CKR_BUFFER_TOO_SMALL);
    check(len == 32, "C_Sign(too small)", "length %lu, expected 32", len);
    len = sizeof mac;
    CHECK_RV(f->C_Sign(s, data, 9, mac, &len), CKR_OK); /* the query and the short buffer consumed nothing */
    check(len == 32, "C_Sign", "length %lu", len);
    memcpy(first, mac, 32);
    len = sizeof mac;
    CHECK_RV(f->C_Sign(s, data, 9, mac, &len), CKR_OPERATION_NOT_INITIALIZED); /* a delivered signature ends it */
    CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
    CHECK_RV(f->C_SignUpdate(s, data, 4), CKR_OK);
    CHECK_RV(f->C_SignUpdate(s, data + 4, 5), CKR_OK);
    len = 0;
    CHECK_RV(f->C_SignFinal(s, mac, &len), CKR_BUFFER_TOO_SMALL);
    len = sizeof mac;
    CHECK_RV(f->C_SignFinal(s, mac, &len), CKR_OK);
    check(len == 32 && memcmp(mac, first, 32) == 0, "C_SignFinal", "the same MAC as C_Sign");
    /* An argument refused before the node ends the operation, as the node's own errors do (PKCS#11 5.2). */
    CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
    CHECK_RV(f->C_Sign(s, data, 9, mac, NULL), CKR_ARGUMENTS_BAD);
    len = sizeof mac;
    CHECK_RV(f->C_Sign(s, data, 9, mac, &len), CKR_OPERATION_NOT_INITIALIZED);
    CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
    CHECK_RV(f->C_SignUpdate(s, NULL, 5), CKR_ARGUMENTS_BAD);
    CHECK_RV(f->C_SignFinal(s, mac, &len), CKR_OPERATION_NOT_INITIALIZED);
    CK_BYTE random[40] = {0};
    CHECK_RV(f->C_GenerateRandom(s, random, sizeof random), CKR_OK);
    CHECK_RV(f->C_GenerateRandom(s, NULL, 4), CKR_ARGUMENTS_BAD);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

/* C_GetAttributeValue (PKCS#11 3.0 5.7): every attribute processed, the first error returned. */
static void attributes(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_ULONG vlen = 32;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE wrap_template[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &vlen, sizeof vlen}, {CKA_WRAP, &yes, 1}, {CKA_SENSITIVE, &yes, 1},
                        {CKA_EXTRACTABLE, &no, 1}, {CKA_LABEL, "wrapper", 7},
                        {CKA_WRAP_TEMPLATE, wrap_template, sizeof wrap_template}};
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0};
    CK_OBJECT_HANDLE k = 0;
    CHECK_RV(f->C_GenerateKey(s, &gen, t, 6, &k), CKR_OK);
    CK_BYTE value[32], label[4];
    CK_KEY_TYPE got_type = 0;
    CK_ATTRIBUTE q[] = {{CKA_VALUE, value, sizeof value}, {CKA_KEY_TYPE, &got_type, sizeof got_type},
                        {CKA_LABEL, label, sizeof label}, {0x7FFFFFF0UL, value, sizeof value}};
    CHECK_RV(f->C_GetAttributeValue(s, k, q, 4), CKR_ATTRIBUTE_SENSITIVE);
    check(q[0].ulValueLen == CK_UNAVAILABLE_INFORMATION, "CKA_VALUE", "sensitive: unavailable, got %lu", q[0].ulValueLen);
    check(q[1].ulValueLen == sizeof(CK_KEY_TYPE) && got_type == CKK_AES, "CKA_KEY_TYPE", "read beside a sensitive one");
    check(q[2].ulValueLen == CK_UNAVAILABLE_INFORMATION, "CKA_LABEL", "too small: unavailable, got %lu", q[2].ulValueLen);
    check(q[3].ulValueLen == CK_UNAVAILABLE_INFORMATION, "unknown type", "unavailable, got %lu", q[3].ulValueLen);
    CK_ATTRIBUTE one = {CKA_LABEL, label, sizeof label};
    CHECK_RV(f->C_GetAttributeValue(s, k, &one, 1), CKR_BUFFER_TOO_SMALL);
    one.pValue = NULL;
    CHECK_RV(f->C_GetAttributeValue(s, k, &one, 1), CKR_OK);
    check(one.ulValueLen == 7, "CKA_LABEL(NULL)", "length %lu, expected 7", one.ulValueLen);
    /* The nested array: its size, then each entry's length, then the values. */
    CK_ATTRIBUTE w = {CKA_WRAP_TEMPLATE, NULL, 0};
    CHECK_RV(f->C_GetAttributeValue(s, k, &w, 1), CKR_OK);
    check(w.ulValueLen == 2 * sizeof(CK_ATTRIBUTE), "CKA_WRAP_TEMPLATE(NULL)", "length %lu", w.ulValueLen);
    CK_ATTRIBUTE nested[2] = {{0, NULL, 0}, {0, NULL, 0}};
    w.pValue = nested;
    w.ulValueLen = sizeof(CK_ATTRIBUTE);
    CHECK_RV(f->C_GetAttributeValue(s, k, &w, 1), CKR_BUFFER_TOO_SMALL);
    check(w.ulValueLen == CK_UNAVAILABLE_INFORMATION, "CKA_WRAP_TEMPLATE(short)", "unavailable, got %lu", w.ulValueLen);
    w.ulValueLen = sizeof nested;
    CHECK_RV(f->C_GetAttributeValue(s, k, &w, 1), CKR_OK);
    check(nested[0].ulValueLen == sizeof(CK_ULONG) && nested[1].ulValueLen == sizeof(CK_ULONG), "nested lengths",
          "%lu %lu", nested[0].ulValueLen, nested[1].ulValueLen);
    CK_ULONG v0 = 0, v1 = 0;
    nested[0].pValue = &v0;
    nested[1].pValue = &v1;
    CHECK_RV(f->C_GetAttributeValue(s, k, &w, 1), CKR_OK);
    int class_first = nested[0].type == CKA_CLASS;
    check((class_first ? v0 : v1) == CKO_SECRET_KEY && (class_first ? v1 : v0) == CKK_AES, "nested values",
          "types %lu %lu values %lu %lu", nested[0].type, nested[1].type, v0, v1);
    CK_ATTRIBUTE bad = {CKA_LABEL, NULL, 5};
    CHECK_RV(f->C_CreateObject(s, &bad, 1, &k), CKR_ARGUMENTS_BAD);
    CK_ATTRIBUTE odd = {CKA_WRAP_TEMPLATE, wrap_template, 5};
    CHECK_RV(f->C_GenerateKey(s, &gen, &odd, 1, &k), CKR_ATTRIBUTE_VALUE_INVALID);
    CHECK_RV(f->C_GetAttributeValue(s, k, NULL, 1), CKR_ARGUMENTS_BAD);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

/* The child answers every call with CKR_CRYPTOKI_NOT_INITIALIZED, never hangs, then starts its own client;
 * the parent's session keeps working meanwhile and after. */
static void fork_child(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_BYTE r[16];
    CHECK_RV(f->C_GenerateRandom(s, r, sizeof r), CKR_OK);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        CK_INFO info;
        CHECK_RV(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
        CHECK_RV(f->C_GenerateRandom(s, r, sizeof r), CKR_CRYPTOKI_NOT_INITIALIZED);
        CHECK_RV(f->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
        CK_SESSION_HANDLE mine = nc_login(pin);
        CHECK_RV(f->C_GenerateRandom(mine, r, sizeof r), CKR_OK);
        CHECK_RV(f->C_Finalize(NULL), CKR_OK);
        fflush(stdout);
        _exit(failures == 0 ? 0 : 1);
    }
    CHECK_RV(f->C_GenerateRandom(s, r, sizeof r), CKR_OK);
    int status = 0;
    check(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork",
          "the child's checks held (status 0x%x)", status);
    CHECK_RV(f->C_GenerateRandom(s, r, sizeof r), CKR_OK);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

#define THREADS 8
#define SIGNS 40
static CK_OBJECT_HANDLE shared_key;
static const CK_BYTE HMAC_KEY[32] = "threads share one key, not state";

static void *signer(void *arg) {
    CK_SESSION_HANDLE s = 0;
    long id = (long) arg;
    CK_RV rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    for (int i = 0; rv == CKR_OK && i < SIGNS; i++) {
        CK_BYTE data[32], mac[32], want[32];
        unsigned int wl = 0;
        int n = snprintf((char *) data, sizeof data, "thread %ld sign %d", id, i);
        CK_MECHANISM m = {CKM_SHA256_HMAC, NULL, 0};
        CK_ULONG len = sizeof mac;
        rv = f->C_SignInit(s, &m, shared_key);
        if (rv == CKR_OK) rv = f->C_Sign(s, data, (CK_ULONG) n, mac, &len);
        HMAC(EVP_sha256(), HMAC_KEY, 32, data, (size_t) n, want, &wl);
        if (rv == CKR_OK && (len != 32 || memcmp(mac, want, 32) != 0)) rv = CKR_GENERAL_ERROR;
    }
    return (void *) rv;
}

static void threads(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt},
                        {CKA_VALUE, (void *) HMAC_KEY, 32}, {CKA_SIGN, &yes, 1}};
    CHECK_RV(f->C_CreateObject(s, t, 4, &shared_key), CKR_OK);
    pthread_t th[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, signer, (void *) i);
    for (int i = 0; i < THREADS; i++) {
        void *rv;
        pthread_join(th[i], &rv);
        check(rv == (void *) CKR_OK, "threads", "thread %d: 0x%lx (0x5: a MAC that is not OpenSSL's)", i, (unsigned long) rv);
    }
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: nc_abi MODULE PIN CASE\n");
        return 2;
    }
    alarm(120);
    setvbuf(stdout, NULL, _IOLBF, 0);
    nc_lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!nc_lib) {
        printf("FAIL dlopen: %s\n", dlerror());
        return 1;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(nc_lib, "C_GetFunctionList");
    if (!get || get(&f) != CKR_OK) {
        printf("FAIL C_GetFunctionList\n");
        return 1;
    }
    const char *c = argv[3], *pin = argv[2];
    if (strcmp(c, "lists") == 0) lists();
    else if (strcmp(c, "lifecycle") == 0) lifecycle(pin);
    else if (strcmp(c, "two-call") == 0) two_call(pin);
    else if (strcmp(c, "attributes") == 0) attributes(pin);
    else if (strcmp(c, "fork") == 0) fork_child(pin);
    else if (strcmp(c, "threads") == 0) threads(pin);
    else {
        lists(); /* the 3.2 list, for the message functions */
        if (!case_params(c, pin)) {
            printf("FAIL unknown case %s\n", c);
            return 2;
        }
    }
    if (failures == 0) printf("ok %s\n", c);
    return failures == 0 ? 0 : 1;
}
