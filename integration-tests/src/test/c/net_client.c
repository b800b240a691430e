/*
 * net_client: a PKCS#11 application of a network HSM (dist/libjhsm.so with JHSM_CONF naming hsms), for the
 * node fault tests. Logs in on the first token as the crypto user PIN ("name:password").
 *
 *   net_client MODULE PIN create PREFIX MAX   C_CreateObject AES token keys PREFIX-00000 ... one by one; prints
 *                                             "ready", then "ok LABEL HANDLE" for each CKR_OK, and at the first
 *                                             other CK_RV "fail LABEL 0x<rv>" and exits 0
 *   net_client MODULE PIN check               reads labels on stdin; prints "missing LABEL" for each not found,
 *                                             then "checked N missing M"
 *   net_client MODULE PIN steps               prints "ready", then runs one step per stdin line:
 *       call    C_GetSessionInfo on the first session      -> "call 0x<rv> <ms>"
 *       private a private session EC P-256 pair made on the first session (needs its login), then C_SignInit +
 *               C_Sign with it                             -> "private 0x<rv> <ms>"
 *       open    C_OpenSession                              -> "open 0x<rv> <ms>"
 *       quit    C_Finalize                                 -> "quit 0x<rv>"
 *     and "ready" after each.
 * alarm() bounds every mode.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST *f;
static CK_SLOT_ID slot;
static CK_BBOOL yes = CK_TRUE;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static CK_RV login_session(const char *pin, CK_SESSION_HANDLE *s) {
    CK_RV rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, s);
    return rv != CKR_OK ? rv : f->C_Login(*s, CKU_USER, (CK_UTF8CHAR *) pin, strlen(pin));
}

static int open_module(const char *module) {
    void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 0; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    CK_RV rv = get ? get(&f) : CKR_GENERAL_ERROR;
    if (rv == CKR_OK) rv = f->C_Initialize(NULL);
    CK_ULONG n = 1;
    if (rv == CKR_OK) rv = f->C_GetSlotList(CK_TRUE, &slot, &n);
    if (rv == CKR_OK && n == 0) rv = CKR_TOKEN_NOT_PRESENT;
    if (rv != CKR_OK) fprintf(stderr, "cannot open the module: 0x%lx\n", (unsigned long) rv);
    return rv == CKR_OK;
}

/* A private session key pair on s, then a signature with it: CKR_OK only while s is logged in. */
static CK_RV private_pair_signs(CK_SESSION_HANDLE s) {
    static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    CK_BBOOL no = CK_FALSE;
    CK_MECHANISM gen = {CKM_EC_KEY_PAIR_GEN, NULL, 0}, ecdsa = {CKM_ECDSA, NULL, 0};
    CK_ATTRIBUTE pub[] = {{CKA_TOKEN, &no, 1}, {CKA_VERIFY, &yes, 1}, {CKA_EC_PARAMS, (void *) p256, sizeof p256}};
    CK_ATTRIBUTE prv[] = {{CKA_TOKEN, &no, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1}, {CKA_SIGN, &yes, 1},
                          {CKA_EXTRACTABLE, &no, 1}};
    CK_OBJECT_HANDLE pubh, privh;
    CK_BYTE digest[32] = {7}, sig[128];
    CK_ULONG len = sizeof sig;
    CK_RV rv = f->C_GenerateKeyPair(s, &gen, pub, 3, prv, 5, &pubh, &privh);
    if (rv == CKR_OK) rv = f->C_SignInit(s, &ecdsa, privh);
    return rv != CKR_OK ? rv : f->C_Sign(s, digest, sizeof digest, sig, &len);
}

static void say(const char *line) {
    printf("%s\n", line);
    fflush(stdout);
}

static int create(CK_SESSION_HANDLE s, const char *prefix, long max) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_BYTE value[16];
    char label[64];
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &type, sizeof type}, {CKA_TOKEN, &yes, 1},
                        {CKA_ENCRYPT, &yes, 1}, {CKA_VALUE, value, sizeof value}, {CKA_LABEL, label, 0}};
    say("ready");
    for (long i = 0; i < max; i++) {
        t[5].ulValueLen = (CK_ULONG) snprintf(label, sizeof label, "%s-%05ld", prefix, i);
        memset(value, (int) i, sizeof value);
        CK_OBJECT_HANDLE h;
        CK_RV rv = f->C_CreateObject(s, t, sizeof t / sizeof t[0], &h);
        if (rv != CKR_OK) {
            printf("fail %s 0x%lx\n", label, (unsigned long) rv);
            fflush(stdout);
            return 0;
        }
        printf("ok %s %lu\n", label, (unsigned long) h);
        fflush(stdout);
    }
    return 0;
}

static int check(CK_SESSION_HANDLE s) {
    char line[128];
    long n = 0, missing = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        CK_ATTRIBUTE byLabel = {CKA_LABEL, line, strlen(line)};
        CK_OBJECT_HANDLE found[2];
        CK_ULONG count = 0;
        CK_RV rv = f->C_FindObjectsInit(s, &byLabel, 1);
        if (rv == CKR_OK) rv = f->C_FindObjects(s, found, 2, &count);
        f->C_FindObjectsFinal(s);
        n++;
        if (rv != CKR_OK || count != 1) {
            printf("missing %s (0x%lx, %lu found)\n", line, (unsigned long) rv, (unsigned long) count);
            missing++;
        }
    }
    printf("checked %ld missing %ld\n", n, missing);
    return 0;
}

static int steps(CK_SESSION_HANDLE first) {
    char line[64], out[128];
    say("ready");
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        double t0 = now_ms();
        if (strcmp(line, "call") == 0) {
            CK_SESSION_INFO info;
            CK_RV rv = f->C_GetSessionInfo(first, &info);
            snprintf(out, sizeof out, "call 0x%lx %.0f", (unsigned long) rv, now_ms() - t0);
        } else if (strcmp(line, "private") == 0) {
            CK_RV rv = private_pair_signs(first);
            snprintf(out, sizeof out, "private 0x%lx %.0f", (unsigned long) rv, now_ms() - t0);
        } else if (strcmp(line, "open") == 0) {
            CK_SESSION_HANDLE s;
            CK_RV rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
            snprintf(out, sizeof out, "open 0x%lx %.0f", (unsigned long) rv, now_ms() - t0);
        } else if (strcmp(line, "quit") == 0) {
            printf("quit 0x%lx\n", (unsigned long) f->C_Finalize(NULL));
            return 0;
        } else {
            snprintf(out, sizeof out, "unknown step '%s'", line);
        }
        say(out);
        say("ready");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: net_client MODULE PIN create PREFIX MAX | check | steps\n"); return 2; }
    alarm(300);
    if (!open_module(argv[1])) return 3;
    CK_SESSION_HANDLE s;
    CK_RV rv = login_session(argv[2], &s);
    if (rv != CKR_OK) { fprintf(stderr, "cannot log in: 0x%lx\n", (unsigned long) rv); return 4; }
    if (strcmp(argv[3], "create") == 0 && argc == 6) return create(s, argv[4], atol(argv[5]));
    if (strcmp(argv[3], "check") == 0) return check(s);
    if (strcmp(argv[3], "steps") == 0) return steps(s);
    return 2;
}
