/*
 * p11bench: measures PKCS#11 modules through their C ABI, side by side, in one process.
 *
 *   p11bench [--rounds N] [--quick] [--ms MS] [--warmup-ms MS] [--objects N] [--object-rounds N] [--keep-objects]
 *            [--only NAME,NAME]
 *            [--md FILE] [--csv FILE] -m NAME:PATH:LABEL:PIN ...
 *   p11bench --cold PATH        (internal) dlopen + C_GetFunctionList + C_Initialize, print nanoseconds
 *
 * Every token named by -m must already be initialised with that label and user PIN (label "*": the first
 * token present, e.g. a CloudHSM cluster's; the PIN may be CloudHSM's "user:password"). Each round runs
 * every case on every module in turn (A B A B ...), so slow drift of a shared machine hits all modules
 * alike. A sample runs one operation in a loop for --ms milliseconds (at least once); the table reports
 * the median ops/s over the rounds and the spread (max-min)/median. The first column's module is the
 * numerator of the ratio. A case a module cannot run shows "n/a" and the CK_RV that stopped it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "p11bench.h"

static CK_BYTE *buf_in, *buf_out;        /* 1 MiB + slack each */
double sample_s = 0.3;
long n_objects = 10000;
int object_rounds = 1;            /* SoftHSM's file store grows O(n) per create: 10,000 take minutes */
static int keep_objects = 0;            /* --keep-objects: the token data objects stay (to time a cluster's HSM replacement) */
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void remember(module *m, CK_OBJECT_HANDLE h) {
    if (m->n_made == m->cap_made) {
        m->cap_made = m->cap_made ? 2 * m->cap_made : 1024;
        m->made = realloc(m->made, m->cap_made * sizeof *m->made);
        if (!m->made) { perror("realloc"); exit(1); }
    }
    m->made[m->n_made++] = h;
}

static void destroy_made(module *m) {
    for (size_t i = 0; i < m->n_made; i++) m->f->C_DestroyObject(m->s, m->made[i]);
    m->n_made = 0;
}

/* ---- key material ------------------------------------------------------------------------------ */

static const CK_BYTE P256_OID[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const CK_BYTE ED25519_OID[] = {0x06, 0x03, 0x2B, 0x65, 0x70};
static const CK_BYTE ED25519_NAME[] = {0x13, 0x0C, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
static const CK_BYTE F4[] = {0x01, 0x00, 0x01};

static CK_RV gen_aes(module *m, CK_SESSION_HANDLE s, CK_BBOOL *token, CK_OBJECT_HANDLE *h) {
    CK_ULONG len = 32;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, token, 1}, {CKA_ENCRYPT, &yes, 1},
                        {CKA_DECRYPT, &yes, 1}, {CKA_LABEL, "bench-aes", 9}, {CKA_ID, "\x01", 1}};
    CK_MECHANISM mech = {CKM_AES_KEY_GEN, NULL, 0};
    return m->f->C_GenerateKey(s, &mech, t, 6, h);
}

static CK_RV gen_pair(module *m, CK_SESSION_HANDLE s, enum key k, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv) {
    CK_ULONG bits = 2048;
    CK_BBOOL *token = k == K_EC_TOKEN ? &yes : &no;
    CK_ATTRIBUTE pt[4] = {{CKA_TOKEN, token, 1}, {CKA_VERIFY, &yes, 1}};
    CK_ATTRIBUTE st[] = {{CKA_TOKEN, token, 1}, {CKA_SIGN, &yes, 1}, {CKA_PRIVATE, &yes, 1},
                         {CKA_SENSITIVE, &yes, 1}, {CKA_LABEL, "bench-pair", 10}, {CKA_ID, "\x02", 1}};
    CK_MECHANISM mech = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG np = 3;
    if (k == K_EC || k == K_EC_TOKEN) {
        pt[2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *) P256_OID, sizeof P256_OID};
    } else if (k == K_RSA) {
        mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
        pt[2] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, &bits, sizeof bits};
        pt[3] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, (void *) F4, sizeof F4};
        np = 4;
    } else {
        mech.mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
        pt[2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *) ED25519_OID, sizeof ED25519_OID};
        CK_RV rv = m->f->C_GenerateKeyPair(s, &mech, pt, np, st, 6, pub, priv);
        if (rv == CKR_OK) return rv;
        pt[2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *) ED25519_NAME, sizeof ED25519_NAME};
    }
    return m->f->C_GenerateKeyPair(s, &mech, pt, np, st, 6, pub, priv);
}

static CK_MECHANISM_TYPE sign_mech(enum key k) {
    return k == K_EC || k == K_EC_TOKEN ? CKM_ECDSA : k == K_RSA ? CKM_SHA256_RSA_PKCS : CKM_EDDSA;
}

static CK_RV sign_once(module *m, CK_SESSION_HANDLE s, enum key k, CK_BYTE *sig, CK_ULONG *len) {
    CK_MECHANISM mech = {sign_mech(k), NULL, 0};
    CK_RV rv = m->f->C_SignInit(s, &mech, m->key[k]);
    *len = 512;
    return rv != CKR_OK ? rv : m->f->C_Sign(s, buf_in, 32, sig, len);
}

/* ---- one operation per function; each returns the first CK_RV that is not CKR_OK ------------------ */

static CK_RV op_session(module *m, const bcase *c) {
    (void) c;
    CK_SESSION_HANDLE s;
    CK_RV rv = m->f->C_OpenSession(m->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    return rv != CKR_OK ? rv : m->f->C_CloseSession(s);
}

/* The cheapest call there is: what one trip through the module costs, bridge included. */
static CK_RV op_session_info(module *m, const bcase *c) {
    (void) c;
    CK_SESSION_INFO info;
    return m->f->C_GetSessionInfo(m->s, &info);
}

static CK_RV op_random(module *m, const bcase *c) {
    return m->f->C_GenerateRandom(m->s, buf_out, (CK_ULONG) c->arg);
}

static CK_RV op_digest(module *m, const bcase *c) {
    CK_MECHANISM mech = {CKM_SHA256, NULL, 0};
    CK_ULONG len = 64;
    CK_RV rv = m->f->C_DigestInit(m->s, &mech);
    return rv != CKR_OK ? rv : m->f->C_Digest(m->s, buf_in, (CK_ULONG) c->arg, buf_out, &len);
}

static CK_RV op_sign(module *m, const bcase *c) {
    CK_BYTE sig[512];
    CK_ULONG len;
    return sign_once(m, m->s, c->key, sig, &len);
}

static CK_RV op_verify(module *m, const bcase *c) {
    CK_MECHANISM mech = {sign_mech(c->key), NULL, 0};
    CK_RV rv = m->f->C_VerifyInit(m->s, &mech, m->pub[c->key]);
    return rv != CKR_OK ? rv : m->f->C_Verify(m->s, buf_in, 32, m->sig[c->key], m->sig_len[c->key]);
}

static CK_RV op_encrypt(module *m, const bcase *c) {
    CK_BYTE iv[16] = {0};
    CK_GCM_PARAMS gcm = {iv, 12, 96, NULL, 0, 128};
    CK_MECHANISM mech = {c->mech, iv, 16};
    if (c->mech == CKM_AES_GCM) { mech.pParameter = &gcm; mech.ulParameterLen = sizeof gcm; }
    CK_ULONG len = (CK_ULONG) c->arg + 32;   /* an output buffer sized as callers size it: input + tag/pad */
    CK_RV rv = m->f->C_EncryptInit(m->s, &mech, m->key[K_AES]);
    return rv != CKR_OK ? rv : m->f->C_Encrypt(m->s, buf_in, (CK_ULONG) c->arg, buf_out, &len);
}

static CK_RV op_get_attr(module *m, const bcase *c) {
    char label[64], id[64];
    CK_ATTRIBUTE t[] = {{CKA_LABEL, label, sizeof label}, {CKA_ID, id, sizeof id}};
    return m->f->C_GetAttributeValue(m->s, m->key[c->key], t, 2);
}

static CK_RV gen_aes_remembered(module *m, CK_BBOOL *token) {
    CK_OBJECT_HANDLE h;
    CK_RV rv = gen_aes(m, m->s, token, &h);
    if (rv == CKR_OK) remember(m, h);
    return rv;
}

static CK_RV op_gen_key(module *m, const bcase *c) {
    (void) c;
    return gen_aes_remembered(m, &no);
}

/* A token key: on a cluster its creation returns once a majority of HSMs committed it (the commit latency). */
static CK_RV op_gen_token_key(module *m, const bcase *c) {
    (void) c;
    return gen_aes_remembered(m, &yes);
}

static CK_RV op_gen_pair(module *m, const bcase *c) {
    CK_OBJECT_HANDLE pub, priv;
    CK_RV rv = gen_pair(m, m->s, c->key, &pub, &priv);
    if (rv == CKR_OK) { remember(m, pub); remember(m, priv); }
    return rv;
}

/* ---- the cases, in table order ------------------------------------------------------------------ */

const bcase cases[] = {
    {"load + C_Initialize (cold: new process)", COLD, NULL, K_NONE, 0, 0},
    {"C_GetSessionInfo (per-call floor)", LOOP, op_session_info, K_NONE, 0, 0},
    {"C_OpenSession + C_CloseSession", LOOP, op_session, K_NONE, 0, 0},
    {"C_GenerateRandom 32 B", LOOP, op_random, K_NONE, 0, 32},
    {"C_Digest SHA-256 64 B", LOOP, op_digest, K_NONE, 0, 64},
    {"C_Digest SHA-256 1 MiB", LOOP, op_digest, K_NONE, 0, MiB},
    {"C_Sign ECDSA P-256 (32 B hash)", LOOP, op_sign, K_EC, 0, 0},
    {"C_Verify ECDSA P-256", LOOP, op_verify, K_EC, 0, 0},
    {"C_Sign RSA-2048 SHA256_RSA_PKCS", LOOP, op_sign, K_RSA, 0, 0},
    {"C_Verify RSA-2048 SHA256_RSA_PKCS", LOOP, op_verify, K_RSA, 0, 0},
    {"C_Sign Ed25519 (EDDSA)", LOOP, op_sign, K_ED, 0, 0},
    {"C_Verify Ed25519 (EDDSA)", LOOP, op_verify, K_ED, 0, 0},
    {"C_Encrypt AES-256-GCM 1 KiB", LOOP, op_encrypt, K_AES, CKM_AES_GCM, 1024},
    {"C_Encrypt AES-256-CBC-PAD 1 MiB", LOOP, op_encrypt, K_AES, CKM_AES_CBC_PAD, MiB},
    {"C_GetAttributeValue LABEL + ID", LOOP, op_get_attr, K_AES, 0, 0},
    {"C_GetAttributeValue LABEL + ID (token key)", LOOP, op_get_attr, K_AES_TOKEN, 0, 0},
    {"C_Sign ECDSA P-256 (token key)", LOOP, op_sign, K_EC_TOKEN, 0, 0},
    {"C_GenerateKey AES-256", LOOP, op_gen_key, K_NONE, 0, 0},
    {"C_GenerateKey AES-256 (token key)", LOOP, op_gen_token_key, K_NONE, 0, 0},
    {"C_GenerateKeyPair EC P-256", LOOP, op_gen_pair, K_EC, 0, 0},
    {"C_GenerateKeyPair RSA-2048", LOOP, op_gen_pair, K_RSA, 0, 0},
    {"ECDSA P-256 sign 1 thread", THREADS, NULL, K_EC, 0, 1},
    {"ECDSA P-256 sign 2 threads (total)", THREADS, NULL, K_EC, 0, 2},
    {"ECDSA P-256 sign 4 threads (total)", THREADS, NULL, K_EC, 0, 4},
    /* Threads' sessions may live on different HSMs of a cluster, where a session key is not: a token key. */
    {"ECDSA P-256 token key sign 1 thread", THREADS, NULL, K_EC_TOKEN, 0, 1},
    {"ECDSA P-256 token key sign 4 threads (total)", THREADS, NULL, K_EC_TOKEN, 0, 4},
    {"RSA-2048 sign 1 thread", THREADS, NULL, K_RSA, 0, 1},
    {"RSA-2048 sign 4 threads (total)", THREADS, NULL, K_RSA, 0, 4},
    {"C_CreateObject token data object", OBJ_CREATE, NULL, K_NONE, 0, 0},
    {"C_FindObjects 1 by label among all", OBJ_FIND, NULL, K_NONE, 0, 0},
    {"C_DestroyObject token data object", OBJ_DESTROY, NULL, K_NONE, 0, 0},
};
const size_t n_cases = sizeof cases / sizeof cases[0];
#define N_CASES (sizeof cases / sizeof cases[0])

/* ---- runners -------------------------------------------------------------------------------------- */

/* Runs c->op for sample_s seconds (at least once); ops/s, or -1 with *rv set. */
static double run_loop(module *m, const bcase *c, CK_RV *rv) {
    if (c->key != K_NONE && m->key_rv[c->key] != CKR_OK) { *rv = m->key_rv[c->key]; return -1; }
    static double *lat;
    static const long max_lat = 1 << 22;
    int timed = c->op == op_session_info && m->n_lat <= MAX_ROUNDS;
    if (timed && !lat && !(lat = malloc(max_lat * sizeof *lat))) { perror("malloc"); exit(1); }
    long n = 0;
    double t0 = now(), t = 0, prev = t0;
    do {
        if ((*rv = c->op(m, c)) != CKR_OK) break;
        double t1 = now();   /* the one clock read per call the loop always made */
        if (timed && n < max_lat) lat[n] = t1 - prev;
        prev = t1;
        n++;
        t = t1 - t0;
    } while (t < sample_s);
    destroy_made(m);
    if (timed && *rv == CKR_OK && n > 0) {
        long k = n < max_lat ? n : max_lat;
        qsort(lat, k, sizeof *lat, cmp_double);
        m->lat_med_us[m->n_lat] = lat[k / 2] * 1e6;
        m->lat_p99_us[m->n_lat++] = lat[k * 99 / 100] * 1e6;
    }
    return *rv == CKR_OK ? n / t : -1;
}

/* A new process that only loads and initialises the module: the cost a consumer pays at start-up. */
static double run_cold(module *m, CK_RV *rv) {
    int fd[2];
    if (pipe(fd) != 0) { perror("pipe"); exit(1); }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execl("/proc/self/exe", "p11bench", "--cold", m->path, (char *) NULL);
        _exit(127);
    }
    close(fd[1]);
    char out[64] = {0};
    ssize_t n = read(fd[0], out, sizeof out - 1);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    double ns = n > 0 ? strtod(out, NULL) : 0;
    if (ns <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) { *rv = 0x1001; return -1; }
    *rv = CKR_OK;
    return 1e9 / ns;
}

static int cold_child(const char *path) {
    CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    double t0 = now();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    CK_FUNCTION_LIST *f;
    if (!get || get(&f) != CKR_OK || f->C_Initialize(&args) != CKR_OK) return 1;
    printf("%.0f\n", (now() - t0) * 1e9);
    fflush(stdout);
    f->C_Finalize(NULL);
    return 0;
}

typedef struct {
    module *m; const bcase *c; double deadline, end; long n; CK_RV rv; pthread_barrier_t *ready, *go;
} worker;

static void *sign_worker(void *p) {
    worker *w = p;
    CK_SESSION_HANDLE s;
    CK_BYTE sig[512];
    CK_ULONG len;
    w->rv = w->m->f->C_OpenSession(w->m->slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
    pthread_barrier_wait(w->ready);
    pthread_barrier_wait(w->go);
    while (w->rv == CKR_OK && now() < w->deadline) {
        if ((w->rv = sign_once(w->m, s, w->c->key, sig, &len)) == CKR_OK) w->n++;
    }
    w->end = now();
    if (w->m->f->C_CloseSession(s) != CKR_OK && w->rv == CKR_OK) w->rv = 0x1001;
    return NULL;
}

/* c->arg threads, each signing on its own session for sample_s seconds; total ops/s. The clock starts once every
   thread has its session (over a network, opening one is a round trip) and stops at the last one's last signature,
   so neither session set-up nor C_CloseSession is counted. */
static double run_threads(module *m, const bcase *c, CK_RV *rv) {
    if (m->key_rv[c->key] != CKR_OK) { *rv = m->key_rv[c->key]; return -1; }
    int n = (int) c->arg;
    pthread_t t[8];
    worker w[8];
    pthread_barrier_t ready, go;
    pthread_barrier_init(&ready, NULL, n + 1);
    pthread_barrier_init(&go, NULL, n + 1);
    for (int i = 0; i < n; i++) {
        w[i] = (worker){m, c, 0, 0, 0, CKR_OK, &ready, &go};
        pthread_create(&t[i], NULL, sign_worker, &w[i]);
    }
    pthread_barrier_wait(&ready);
    double t0 = now(), t1 = t0;
    for (int i = 0; i < n; i++) w[i].deadline = t0 + sample_s;  /* set before the go barrier releases them */
    pthread_barrier_wait(&go);
    long total = 0;
    *rv = CKR_OK;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        total += w[i].n;
        if (w[i].end > t1) t1 = w[i].end;
        if (w[i].rv != CKR_OK) *rv = w[i].rv;
    }
    pthread_barrier_destroy(&ready);
    pthread_barrier_destroy(&go);
    return *rv == CKR_OK && t1 > t0 ? total / (t1 - t0) : -1;
}

/* Creates n_objects token data objects, finds one by label, destroys them all: three samples. */
static void run_objects(module *m, double ops[3], CK_RV rv[3]) {
    CK_ULONG cls = CKO_DATA;
    char label[32];
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_TOKEN, &yes, 1}, {CKA_PRIVATE, &no, 1},
                        {CKA_LABEL, label, 0}, {CKA_VALUE, buf_in, 16}};
    CK_OBJECT_HANDLE h;
    ops[0] = ops[1] = ops[2] = -1;
    rv[0] = rv[1] = rv[2] = CKR_OK;
    double t0 = now();
    for (long i = 0; i < n_objects && rv[0] == CKR_OK; i++) {
        t[3].ulValueLen = (CK_ULONG) snprintf(label, sizeof label, "bench-obj-%06ld", i);
        if ((rv[0] = m->f->C_CreateObject(m->s, t, 5, &h)) == CKR_OK) remember(m, h);
    }
    if (rv[0] == CKR_OK) ops[0] = n_objects / (now() - t0);

    t[3].ulValueLen = (CK_ULONG) snprintf(label, sizeof label, "bench-obj-%06ld", n_objects / 2);
    long n = 0;
    double t1;
    t0 = now();
    do {
        CK_OBJECT_HANDLE found[2];
        CK_ULONG count = 0;
        if ((rv[1] = m->f->C_FindObjectsInit(m->s, &t[3], 1)) != CKR_OK) break;
        rv[1] = m->f->C_FindObjects(m->s, found, 2, &count);
        CK_RV fin = m->f->C_FindObjectsFinal(m->s);
        if (rv[1] == CKR_OK) rv[1] = fin;
        if (rv[1] == CKR_OK && count != 1) rv[1] = 0x1001;
        if (rv[1] != CKR_OK) break;
        n++;
    } while ((t1 = now() - t0) < sample_s);
    if (rv[1] == CKR_OK && rv[0] == CKR_OK) ops[1] = n / t1;

    if (keep_objects) { m->n_made = 0; return; }
    size_t made = m->n_made;
    t0 = now();
    for (size_t i = 0; i < made && rv[2] == CKR_OK; i++) rv[2] = m->f->C_DestroyObject(m->s, m->made[i]);
    if (rv[2] == CKR_OK && made) ops[2] = made / (now() - t0);
    m->n_made = 0;
    if (rv[0] != CKR_OK) rv[1] = rv[2] = rv[0];
}

/* ---- modules ------------------------------------------------------------------------------------ */

/* Loads the module, finds the token by label, logs in and makes the keys the cases use. */
static CK_RV open_module(module *m) {
    CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    void *h = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "p11bench: %s\n", dlerror()); return 0x1000; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    CK_RV rv = get ? get(&m->f) : 0x1000;
    if (rv == CKR_OK) rv = m->f->C_Initialize(&args);
    if (rv == CKR_OK) rv = m->f->C_GetInfo(&m->info);
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    if (rv == CKR_OK) rv = m->f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK) return rv;
    rv = 0x1000;
    for (CK_ULONG i = 0; i < n && rv != CKR_OK; i++) {
        CK_TOKEN_INFO ti;
        char label[33];
        if (m->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK) continue;
        trim(label, ti.label, 32);
        if (strcmp(m->label, "*") == 0 || strcmp(label, m->label) == 0) { m->slot = slots[i]; rv = CKR_OK; }
    }
    if (rv != CKR_OK) { fprintf(stderr, "p11bench: %s: no token labelled '%s'\n", m->name, m->label); return rv; }
    rv = m->f->C_OpenSession(m->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &m->s);
    if (rv == CKR_OK) rv = m->f->C_Login(m->s, CKU_USER, (CK_UTF8CHAR *) m->pin, strlen(m->pin));
    if (rv != CKR_OK) return rv;
    m->key_rv[K_AES] = gen_aes(m, m->s, &no, &m->key[K_AES]);
    m->key_rv[K_AES_TOKEN] = gen_aes(m, m->s, &yes, &m->key[K_AES_TOKEN]);
    for (enum key k = K_EC; k <= K_EC_TOKEN; k++) {
        if (k == K_AES_TOKEN) continue;
        m->key_rv[k] = gen_pair(m, m->s, k, &m->pub[k], &m->key[k]);
        if (m->key_rv[k] == CKR_OK) m->key_rv[k] = sign_once(m, m->s, k, m->sig[k], &m->sig_len[k]);
    }
    return CKR_OK;
}

/* ---- main --------------------------------------------------------------------------------------- */

static int selected(const char *only, const char *name) {
    if (!only) return 1;
    char copy[512], *save, *tok;
    snprintf(copy, sizeof copy, "%s", only);
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (strcasestr(name, tok)) return 1;
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: p11bench [--rounds N] [--quick] [--ms MS] [--warmup-ms MS] [--objects N] [--object-rounds N]"
                    " [--keep-objects] [--only A,B] [--md FILE]"
                    " [--csv FILE] -m NAME:PATH:LABEL:PIN [-m ...]\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--cold") == 0) return cold_child(argv[2]);
    static module mods[MAX_MODULES];
    static result res[N_CASES][MAX_MODULES];
    int n_mods = 0, rounds = 0, quick = 0;
    double warmup_s = 0;   /* round 0's sample length when longer than sample_s: a remote module warms two JITs */
    const char *md_path = NULL, *csv_path = NULL, *only = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) { quick = 1; continue; }
        if (strcmp(a, "--keep-objects") == 0) { keep_objects = 1; continue; }
        if (!v) usage();
        i++;
        if (strcmp(a, "--rounds") == 0) rounds = atoi(v);
        else if (strcmp(a, "--ms") == 0) sample_s = atof(v) / 1e3;
        else if (strcmp(a, "--warmup-ms") == 0) warmup_s = atof(v) / 1e3;
        else if (strcmp(a, "--objects") == 0) n_objects = atol(v);
        else if (strcmp(a, "--object-rounds") == 0) object_rounds = atoi(v);
        else if (strcmp(a, "--only") == 0) only = v;
        else if (strcmp(a, "--md") == 0) md_path = v;
        else if (strcmp(a, "--csv") == 0) csv_path = v;
        else if (strcmp(a, "-m") == 0 && n_mods < MAX_MODULES) {
            module *m = &mods[n_mods++];
            char *spec = strdup(v), *save;
            m->name = strtok_r(spec, ":", &save);
            m->path = strtok_r(NULL, ":", &save);
            m->label = strtok_r(NULL, ":", &save);
            m->pin = strtok_r(NULL, "", &save);
            if (!m->pin) usage();
        } else usage();
    }
    if (n_mods == 0) usage();
    if (quick) {
        if (!rounds) rounds = 2;
        sample_s = sample_s < 0.1 ? sample_s : 0.1;
        n_objects = n_objects < 500 ? n_objects : 500;
    }
    if (rounds <= 0) rounds = 5;
    if (rounds > MAX_ROUNDS) rounds = MAX_ROUNDS;

    buf_in = malloc(MiB + 64);
    buf_out = malloc(MiB + 64);
    for (int i = 0; i < MiB + 64; i++) buf_in[i] = (CK_BYTE) (i * 131 + 7);
    char load0[128];
    read_first("/proc/loadavg", "", load0, sizeof load0);
    for (int i = 0; i < n_mods; i++) {
        CK_RV rv = open_module(&mods[i]);
        if (rv != CKR_OK) {
            char e[80];
            fmt_rv(e, sizeof e, rv);
            fprintf(stderr, "p11bench: cannot set up module %s (%s): %s\n", mods[i].name, mods[i].path, e);
            return 1;
        }
    }

    /* Round 0 is a warm-up (JIT, caches, lazy loading); it is run but not recorded. */
    long objects = n_objects;
    for (int r = 0; r <= rounds; r++) {
        n_objects = r == 0 ? (objects < 200 ? objects : 200) : objects;
        fprintf(stderr, r == 0 ? "== warm-up round\n" : "== round %d/%d\n", r, rounds);
        double sample = sample_s;
        if (r == 0 && warmup_s > sample_s) sample_s = warmup_s;
        for (size_t c = 0; c < N_CASES; c++) {
            const bcase *bc = &cases[c];
            if (!selected(only, bc->name) || bc->kind == OBJ_FIND || bc->kind == OBJ_DESTROY) continue;
            if ((r == 0 && bc->kind == COLD) || (bc->kind == OBJ_CREATE && r > object_rounds)) continue;
            fprintf(stderr, "  %-42s", bc->name);
            for (int i = 0; i < n_mods; i++) {
                result *out = &res[c][i];
                if (out->rv != CKR_OK) { fprintf(stderr, "  %s n/a", mods[i].name); continue; }
                double ops[3];
                CK_RV rv[3];
                int rows = 1;
                if (bc->kind == OBJ_CREATE) { run_objects(&mods[i], ops, rv); rows = 3; }
                else if (bc->kind == COLD) ops[0] = run_cold(&mods[i], &rv[0]);
                else if (bc->kind == THREADS) ops[0] = run_threads(&mods[i], bc, &rv[0]);
                else ops[0] = run_loop(&mods[i], bc, &rv[0]);
                for (int k = 0; k < rows; k++) {
                    if (rv[k] != CKR_OK) res[c + k][i].rv = rv[k];
                    else if (r > 0) res[c + k][i].ops[res[c + k][i].n++] = ops[k];
                }
                char o[32];
                fmt_ops(o, sizeof o, ops[0]);
                fprintf(stderr, "  %s %s", mods[i].name, rv[0] == CKR_OK ? o : "n/a");
            }
            fprintf(stderr, "\n");
        }
        sample_s = sample;
    }
    n_objects = objects;

    report(stdout, NULL, mods, n_mods, res, rounds, load0);
    FILE *md = md_path ? fopen(md_path, "w") : NULL, *csv = csv_path ? fopen(csv_path, "w") : NULL;
    if ((md_path && !md) || (csv_path && !csv)) { perror("p11bench: output file"); return 1; }
    if (md || csv) report(md, csv, mods, n_mods, res, rounds, load0);
    if (md) fclose(md);
    if (csv) fclose(csv);
    for (int i = 0; i < n_mods; i++) mods[i].f->C_Finalize(NULL);
    return 0;
}
