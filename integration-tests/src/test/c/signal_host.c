/*
 * A host that installs its own crash handlers after loading the module, as cmocka-based test programs do
 * around each test: SIGSEGV, SIGBUS, SIGFPE and SIGILL go to a handler that siglongjmps out and fails the
 * test. A JVM raises SIGSEGV on purpose (safepoint polls, implicit null checks) and must still get it, so
 * each test makes enough calls (random, HMAC, search) for compiled Java code to run through garbage
 * collections. The last test faults in the host's own code: the host's handler must still catch that.
 * Odd tests install with signal() (as cmocka does), even ones with sigaction(). Built as strict C
 * (-D_POSIX_C_SOURCE without _DEFAULT_SOURCE), glibc makes its signal() calls __sysv_signal.
 * Usage: signal_host MODULE TOKEN_LABEL USER_PIN [TESTS [ROUNDS]]; prints "N tests, 0 failed", exit 0.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

static const int caught_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define N_CAUGHT (int)(sizeof caught_signals / sizeof caught_signals[0])

static sigjmp_buf test_exit;
static volatile sig_atomic_t caught;
static const char *volatile current_call = "none";

static void on_crash(int sig) {
    caught = sig;
    siglongjmp(test_exit, 1);
}

/* Installs on_crash for every caught signal and keeps what was there, to put back after the test. */
static void install(int with_signal, struct sigaction *saved) {
    for (int i = 0; i < N_CAUGHT; i++) {
        if (with_signal) {
            saved[i].sa_handler = signal(caught_signals[i], on_crash);
            sigemptyset(&saved[i].sa_mask);
            saved[i].sa_flags = 0;
        } else {
            struct sigaction sa = {0};
            sa.sa_handler = on_crash;
            sigemptyset(&sa.sa_mask);
            sigaction(caught_signals[i], &sa, &saved[i]);
        }
    }
}

static void restore(const struct sigaction *saved) {
    for (int i = 0; i < N_CAUGHT; i++) sigaction(caught_signals[i], &saved[i], NULL);
}

static void fail_call(const char *call, CK_RV rv) {
    fprintf(stderr, "FAIL: %s returned 0x%lx\n", call, rv);
    exit(1);
}

#define CALL(f, name, ...) do { current_call = #name; CK_RV rv_ = (f)->name(__VA_ARGS__); \
    if (rv_ != CKR_OK) fail_call(#name, rv_); } while (0)

typedef struct { CK_FUNCTION_LIST *f; CK_SESSION_HANDLE s; CK_OBJECT_HANDLE hmac_key; } host;

static CK_FUNCTION_LIST *load(const char *module) {
    void *lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen %s: %s\n", module, dlerror()); exit(2); }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    CK_FUNCTION_LIST *f = NULL;
    if (!get || get(&f) != CKR_OK) { fprintf(stderr, "C_GetFunctionList failed\n"); exit(2); }
    return f;
}

static CK_SLOT_ID find_slot(CK_FUNCTION_LIST *f, const char *label) {
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    CALL(f, C_GetSlotList, CK_TRUE, slots, &n);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && strncmp((char *)ti.label, label, strlen(label)) == 0)
            return slots[i];
    }
    fprintf(stderr, "no token labelled %s\n", label);
    exit(2);
}

static host open_host(const char *module, const char *label, const char *pin) {
    host h = {.f = load(module)};
    CALL(h.f, C_Initialize, NULL);
    CALL(h.f, C_OpenSession, find_slot(h.f, label), CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &h.s);
    CALL(h.f, C_Login, h.s, CKU_USER, (CK_UTF8CHAR *)pin, strlen(pin));
    CK_MECHANISM gen = {CKM_GENERIC_SECRET_KEY_GEN, NULL, 0};
    CK_ULONG len = 32;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE tmpl[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_SIGN, &yes, sizeof yes}};
    CALL(h.f, C_GenerateKey, h.s, &gen, tmpl, 2, &h.hmac_key);
    return h;
}

/* One round: fresh garbage for the collector, a MAC, a search. */
static void round_of_calls(const host *h) {
    static CK_BYTE random[64 * 1024], data[1024], mac[64];
    CALL(h->f, C_GenerateRandom, h->s, random, sizeof random);
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_ULONG mac_len = sizeof mac;
    CALL(h->f, C_SignInit, h->s, &hmac, h->hmac_key);
    CALL(h->f, C_Sign, h->s, data, sizeof data, mac, &mac_len);
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_ATTRIBUTE by_class = {CKA_CLASS, &secret, sizeof secret};
    CK_OBJECT_HANDLE found[4];
    CK_ULONG n = 0;
    CALL(h->f, C_FindObjectsInit, h->s, &by_class, 1);
    CALL(h->f, C_FindObjects, h->s, found, 4, &n);
    CALL(h->f, C_FindObjectsFinal, h->s);
    if (n < 1) { fprintf(stderr, "FAIL: the HMAC key was not found\n"); exit(1); }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: signal_host MODULE TOKEN_LABEL USER_PIN [TESTS [ROUNDS]]\n"); return 2; }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int tests = argc > 4 ? atoi(argv[4]) : 11, rounds = argc > 5 ? atoi(argv[5]) : 2000, failed = 0;
    host h = open_host(argv[1], argv[2], argv[3]);
    for (volatile int t = 1; t <= tests; t++) {
        struct sigaction saved[N_CAUGHT];
        install(t % 2, saved);
        if (sigsetjmp(test_exit, 1) == 0) {
            for (int r = 0; r < rounds; r++) round_of_calls(&h);
            printf("test %d: %d rounds of calls with the host's handlers installed | PASS\n", t, rounds);
        } else {
            /* The JVM's state is unknown now (its signal was taken from it): stop here. */
            restore(saved);
            printf("test %d: signal %d reached the host's handler during %s | FAIL\n", t, (int)caught, current_call);
            printf("%d tests, %d failed\n", tests + 1, tests - t + 2);
            return 1;
        }
        restore(saved);
    }
    /* The host's own crash detection must keep working: a fault in host code reaches its handler. */
    struct sigaction saved[N_CAUGHT];
    install(0, saved);
    if (sigsetjmp(test_exit, 1) == 0) {
        current_call = "the host's own code";
        int *volatile nowhere = NULL;   /* volatile: the compiler cannot prove the store faults */
        *nowhere = 1;
        printf("the host's own fault did not fault | FAIL\n");
        failed++;
    } else if (caught == SIGSEGV) {
        printf("the host's handler caught a fault in host code | PASS\n");
    } else {
        printf("the host's own fault arrived as signal %d | FAIL\n", (int)caught);
        failed++;
    }
    restore(saved);
    CALL(h.f, C_Logout, h.s);
    CALL(h.f, C_CloseSession, h.s);
    CALL(h.f, C_Finalize, NULL);
    printf("%d tests, %d failed\n", tests + 1, failed);
    return failed != 0;
}
