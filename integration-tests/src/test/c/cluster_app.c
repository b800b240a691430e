/*
 * cluster_app: a PKCS#11 application of an HSM cluster (dist/libjhsm.so, JHSM_CONF naming the cluster or one
 * HSM of it), for ClusterTest. Logs in once (CKU_USER, PIN "name:password"); every session of the process
 * shares that login, as PKCS#11 says.
 *
 *   cluster_app MODULE PIN work PREFIX THREADS   THREADS threads, one session each, loop until "stop" on stdin:
 *       C_GenerateKeyPair EC P-256 token pair PREFIX-T-NNNNN, read the private key's CKA_UNIQUE_ID, sign with it.
 *       Prints "ready" once every session is open, "ok LABEL HANDLE UNIQUE_ID" for each pair whose creation
 *       returned CKR_OK, "fail T CALL 0x<rv>" at any other CK_RV (the session is then dropped), "reopen T 0x<rv>"
 *       for the new session that replaces it (retried for up to 30 s), and at the end "done T created N signed M"
 *   cluster_app MODULE PIN check                  stdin: "LABEL HANDLE UNIQUE_ID" lines; finds each private key by
 *       label: "missing LABEL", "moved LABEL HANDLE", "renamed LABEL UNIQUE_ID" for each difference (UNIQUE_ID "-":
 *       the creating HSM died before it could be read, so only the handle is compared), then
 *       "checked N missing M mismatched K"
 *   cluster_app MODULE PIN sign COUNT             a session EC P-256 pair (CKA_TOKEN false), then COUNT
 *       C_SignInit + C_Sign: "fail CALL 0x<rv>" for each failed call, then "signed ok=N failed=M"
 *   cluster_app MODULE PIN hold SESSIONS          SESSIONS sessions, each with a session EC pair; prints "ready",
 *       signs round-robin on them until "stop" on stdin, then "done signed N failed M"
 *   cluster_app MODULE PIN steps                  logged in once, then one step per stdin line, "ready" after each:
 *       find LABEL      -> "find LABEL 0x<rv> COUNT"             private keys labelled LABEL
 *       sign LABEL      -> "sign LABEL 0x<rv> SIGNATURE_HEX"     CKM_ECDSA over 32 bytes 01..20 (hex)
 *       gen LABEL       -> "gen LABEL 0x<rv>"                    an EC P-256 token pair
 *       session         -> "session 0x<rv>"                      an EC P-256 session pair, then a signature with it
 *     so an application logged in before a fault shows what its HSM serves during it
 * alarm() bounds every mode.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

#ifndef CKA_UNIQUE_ID
#define CKA_UNIQUE_ID 0x4UL
#endif

static CK_FUNCTION_LIST *f;
static CK_SLOT_ID slot;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stopping;
static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const CK_BYTE digest[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&out_lock);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    pthread_mutex_unlock(&out_lock);
    va_end(ap);
}

static int open_module(const char *module) {
    void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!h) { say("fail dlopen %s", dlerror()); return 0; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    CK_RV rv = get ? get(&f) : CKR_GENERAL_ERROR;
    if (rv == CKR_OK) rv = f->C_Initialize(NULL);
    if (rv != CKR_OK) { say("fail C_Initialize 0x%lx", (unsigned long) rv); return 0; }
    CK_ULONG n = 1;
    rv = f->C_GetSlotList(CK_TRUE, &slot, &n);
    if (rv == CKR_OK && n == 0) rv = CKR_TOKEN_NOT_PRESENT;
    if (rv != CKR_OK) { say("fail C_GetSlotList 0x%lx", (unsigned long) rv); return 0; }
    return 1;
}

/* An EC P-256 pair; token or session objects. Returns the CK_RV, the private key's handle in *priv. */
static CK_RV ec_pair(CK_SESSION_HANDLE s, CK_BBOOL *token, const char *label, CK_OBJECT_HANDLE *priv) {
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG n = label ? strlen(label) : 0;
    CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, (void *) p256, sizeof p256}, {CKA_TOKEN, token, 1},
                          {CKA_VERIFY, &yes, 1}, {CKA_LABEL, (void *) label, n}};
    CK_ATTRIBUTE pri[] = {{CKA_TOKEN, token, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1},
                          {CKA_SIGN, &yes, 1}, {CKA_LABEL, (void *) label, n}};
    CK_OBJECT_HANDLE public;
    return f->C_GenerateKeyPair(s, &m, pub, label ? 4 : 3, pri, label ? 5 : 4, &public, priv);
}

static CK_RV sign_once(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, const char **call) {
    CK_MECHANISM m = {CKM_ECDSA, NULL, 0};
    CK_BYTE sig[128];
    CK_ULONG len = sizeof sig;
    *call = "C_SignInit";
    CK_RV rv = f->C_SignInit(s, &m, key);
    if (rv != CKR_OK) return rv;
    *call = "C_Sign";
    return f->C_Sign(s, (CK_BYTE_PTR) digest, sizeof digest, sig, &len);
}

/* ---- work: token keys made and used by several threads */

struct worker {
    int id;
    const char *prefix;
    CK_SESSION_HANDLE session;
    long created, signed_;
};

static int reopen(struct worker *w) {
    CK_RV rv;
    int tries = 0;
    do {
        if (tries++) usleep(200000);
        rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &w->session);
    } while (rv != CKR_OK && tries < 150);
    say("reopen %d 0x%lx", w->id, (unsigned long) rv);
    return rv == CKR_OK;
}

static void *work(void *arg) {
    struct worker *w = arg;
    char label[96];
    for (long i = 0; !stopping; i++) {
        snprintf(label, sizeof label, "%s-%d-%05ld", w->prefix, w->id, i);
        CK_OBJECT_HANDLE priv;
        CK_RV rv = ec_pair(w->session, &yes, label, &priv);
        const char *call = "C_GenerateKeyPair";
        if (rv == CKR_OK) {
            CK_BYTE uid[128];
            CK_ATTRIBUTE a = {CKA_UNIQUE_ID, uid, sizeof uid - 1};
            CK_RV got = f->C_GetAttributeValue(w->session, priv, &a, 1);
            uid[got == CKR_OK ? a.ulValueLen : 0] = 0;
            say("ok %s %lu %s", label, (unsigned long) priv, got == CKR_OK && a.ulValueLen ? (char *) uid : "-");
            w->created++;
            rv = got;
            call = "C_GetAttributeValue";
            if (rv == CKR_OK) rv = sign_once(w->session, priv, &call);
            if (rv == CKR_OK) w->signed_++;
        }
        if (rv != CKR_OK) {
            say("fail %d %s 0x%lx", w->id, call, (unsigned long) rv);
            f->C_CloseSession(w->session);
            if (!reopen(w)) break;
        }
    }
    return NULL;
}

static int run_work(const char *prefix, int threads, CK_SESSION_HANDLE first) {
    struct worker w[16];
    pthread_t t[16];
    if (threads < 1 || threads > 16) return 2;
    for (int i = 0; i < threads; i++) {
        w[i] = (struct worker) {.id = i, .prefix = prefix};
        CK_RV rv = i == 0 ? CKR_OK : f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &w[i].session);
        if (i == 0) w[i].session = first;
        if (rv != CKR_OK) { say("fail %d C_OpenSession 0x%lx", i, (unsigned long) rv); return 5; }
    }
    say("ready");
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, work, &w[i]);
    char line[64];
    while (fgets(line, sizeof line, stdin) && strncmp(line, "stop", 4) != 0) {}
    stopping = 1;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        say("done %d created %ld signed %ld", i, w[i].created, w[i].signed_);
    }
    return 0;
}

/* ---- check: every acknowledged key, by label, with its handle and unique id */

static int run_check(CK_SESSION_HANDLE s) {
    char line[256], label[96], uid[128];
    unsigned long handle;
    long n = 0, missing = 0, mismatched = 0;
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "%95s %lu %127s", label, &handle, uid) != 3) continue;
        CK_ATTRIBUTE q[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, label, strlen(label)}};
        CK_OBJECT_HANDLE found[2];
        CK_ULONG count = 0;
        CK_RV rv = f->C_FindObjectsInit(s, q, 2);
        if (rv == CKR_OK) rv = f->C_FindObjects(s, found, 2, &count);
        f->C_FindObjectsFinal(s);
        n++;
        if (rv != CKR_OK || count != 1) {
            say("missing %s (0x%lx, %lu found)", label, (unsigned long) rv, (unsigned long) count);
            missing++;
            continue;
        }
        CK_BYTE got[128];
        CK_ATTRIBUTE a = {CKA_UNIQUE_ID, got, sizeof got - 1};
        rv = f->C_GetAttributeValue(s, found[0], &a, 1);
        got[rv == CKR_OK ? a.ulValueLen : 0] = 0;
        if (found[0] != handle) { say("moved %s %lu", label, (unsigned long) found[0]); mismatched++; }
        else if (strcmp(uid, "-") != 0 && strcmp((char *) got, uid) != 0) { say("renamed %s %s", label, (char *) got); mismatched++; }
    }
    say("checked %ld missing %ld mismatched %ld", n, missing, mismatched);
    return 0;
}

/* ---- sign and hold: session keys only, so they need no token key and leave none behind */

static int run_sign(CK_SESSION_HANDLE s, long count) {
    CK_OBJECT_HANDLE key;
    CK_RV rv = ec_pair(s, &no, NULL, &key);
    if (rv != CKR_OK) { say("fail C_GenerateKeyPair 0x%lx", (unsigned long) rv); return 5; }
    long ok = 0, failed = 0;
    for (long i = 0; i < count; i++) {
        const char *call;
        rv = sign_once(s, key, &call);
        if (rv == CKR_OK) ok++;
        else { failed++; say("fail %s 0x%lx", call, (unsigned long) rv); }
    }
    say("signed ok=%ld failed=%ld", ok, failed);
    return 0;
}

static int run_hold(CK_SESSION_HANDLE first, int sessions) {
    CK_SESSION_HANDLE s[64];
    CK_OBJECT_HANDLE k[64];
    if (sessions < 1 || sessions > 64) return 2;
    /* Every session first, then a session key in each: an application holding session objects gets its new
       sessions on their HSM (so that they can use them), which would put every session on the first HSM. */
    for (int i = 0; i < sessions; i++) {
        CK_RV rv = i == 0 ? CKR_OK : f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s[i]);
        if (i == 0) s[i] = first;
        if (rv != CKR_OK) { say("fail session %d 0x%lx", i, (unsigned long) rv); return 5; }
    }
    for (int i = 0; i < sessions; i++) {
        CK_RV rv = ec_pair(s[i], &no, NULL, &k[i]);
        if (rv != CKR_OK) { say("fail session %d 0x%lx", i, (unsigned long) rv); return 5; }
    }
    say("ready");
    long signed_ = 0, failed = 0;
    fd_set fds;
    struct timeval tv;
    for (long i = 0;; i++) {
        FD_ZERO(&fds);
        FD_SET(0, &fds);
        tv = (struct timeval) {0, 0};
        if (select(1, &fds, NULL, NULL, &tv) > 0) break;   /* "stop" or EOF */
        const char *call;
        if (sign_once(s[i % sessions], k[i % sessions], &call) == CKR_OK) signed_++; else failed++;
        usleep(2000);
    }
    say("done signed %ld failed %ld", signed_, failed);
    return 0;
}

/* ---- steps: one logged-in application, driven line by line */

static CK_RV find_private(CK_SESSION_HANDLE s, const char *label, CK_OBJECT_HANDLE *found, CK_ULONG *count) {
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE q[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, (void *) label, strlen(label)}};
    *count = 0;
    CK_RV rv = f->C_FindObjectsInit(s, q, 2);
    if (rv != CKR_OK) return rv;
    rv = f->C_FindObjects(s, found, 2, count);
    CK_RV fin = f->C_FindObjectsFinal(s);
    return rv != CKR_OK ? rv : fin;
}

static void step_sign(CK_SESSION_HANDLE s, const char *label) {
    CK_OBJECT_HANDLE found[2];
    CK_ULONG count;
    CK_RV rv = find_private(s, label, found, &count);
    if (rv == CKR_OK && count != 1) rv = CKR_KEY_HANDLE_INVALID;
    CK_MECHANISM m = {CKM_ECDSA, NULL, 0};
    CK_BYTE sig[128];
    CK_ULONG len = sizeof sig;
    if (rv == CKR_OK) rv = f->C_SignInit(s, &m, found[0]);
    if (rv == CKR_OK) rv = f->C_Sign(s, (CK_BYTE_PTR) digest, sizeof digest, sig, &len);
    char hex[2 * sizeof sig + 1] = "-";
    for (CK_ULONG i = 0; rv == CKR_OK && i < len; i++) sprintf(hex + 2 * i, "%02x", sig[i]);
    say("sign %s 0x%lx %s", label, (unsigned long) rv, hex);
}

static int run_steps(CK_SESSION_HANDLE s) {
    char line[160], arg[96];
    say("ready");
    while (fgets(line, sizeof line, stdin)) {
        arg[0] = 0;
        if (sscanf(line, "find %95s", arg) == 1) {
            CK_OBJECT_HANDLE found[2];
            CK_ULONG count;
            CK_RV rv = find_private(s, arg, found, &count);
            say("find %s 0x%lx %lu", arg, (unsigned long) rv, (unsigned long) count);
        } else if (sscanf(line, "sign %95s", arg) == 1) {
            step_sign(s, arg);
        } else if (sscanf(line, "gen %95s", arg) == 1) {
            CK_OBJECT_HANDLE priv;
            say("gen %s 0x%lx", arg, (unsigned long) ec_pair(s, &yes, arg, &priv));
        } else if (strncmp(line, "session", 7) == 0) {
            CK_OBJECT_HANDLE priv;
            const char *call;
            CK_RV rv = ec_pair(s, &no, NULL, &priv);
            if (rv == CKR_OK) rv = sign_once(s, priv, &call);
            say("session 0x%lx", (unsigned long) rv);
        } else if (strncmp(line, "quit", 4) == 0) {
            return 0;
        } else {
            say("unknown step %s", line);
        }
        say("ready");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: cluster_app MODULE PIN work PREFIX THREADS | check | sign COUNT | hold SESSIONS | steps\n");
        return 2;
    }
    alarm(600);
    if (!open_module(argv[1])) return 3;
    CK_SESSION_HANDLE s;
    CK_RV rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    if (rv != CKR_OK) { say("fail C_OpenSession 0x%lx", (unsigned long) rv); return 4; }
    rv = f->C_Login(s, CKU_USER, (CK_UTF8CHAR *) argv[2], strlen(argv[2]));
    if (rv != CKR_OK) { say("fail C_Login 0x%lx", (unsigned long) rv); return 4; }
    int status = 2;
    if (strcmp(argv[3], "work") == 0 && argc == 6) status = run_work(argv[4], atoi(argv[5]), s);
    else if (strcmp(argv[3], "check") == 0) status = run_check(s);
    else if (strcmp(argv[3], "sign") == 0 && argc == 5) status = run_sign(s, atol(argv[4]));
    else if (strcmp(argv[3], "hold") == 0 && argc == 5) status = run_hold(s, atoi(argv[4]));
    else if (strcmp(argv[3], "steps") == 0) status = run_steps(s);
    rv = f->C_Finalize(NULL);
    if (rv != CKR_OK) say("fail C_Finalize 0x%lx", (unsigned long) rv);
    return status;
}
