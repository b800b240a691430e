/* p11bench's modules (load, log in) and runners (a loop, a cold start, threads, token objects). */
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

CK_BYTE *buf_in, *buf_out;               /* 1 MiB + slack each */
double sample_s = 0.3;
long n_objects = 10000;
int object_rounds = 1;                   /* SoftHSM's file store grows O(n) per create: 10,000 take minutes */
int keep_objects = 0;                    /* --keep-objects: the token data objects stay (to time a cluster's HSM replacement) */
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

void alloc_buffers(void) {
    buf_in = malloc(MiB + 64);
    buf_out = malloc(MiB + 64);
    if (!buf_in || !buf_out) { perror("malloc"); exit(1); }
    for (int i = 0; i < MiB + 64; i++) buf_in[i] = (CK_BYTE) (i * 131 + 7);
}

void remember(module *m, CK_OBJECT_HANDLE h) {
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

/* NAME:PATH:LABEL:PIN (the PIN may contain ':', as CloudHSM's "user:password"); 0 if malformed. */
int parse_module(module *m, const char *spec) {
    char *copy = strdup(spec), *save;
    m->name = strtok_r(copy, ":", &save);
    m->path = strtok_r(NULL, ":", &save);
    m->label = strtok_r(NULL, ":", &save);
    m->pin = strtok_r(NULL, "", &save);
    return m->pin != NULL;
}

/* ---- modules ------------------------------------------------------------------------------------ */

/* dlopen + C_GetFunctionList + C_Initialize (timed: *seconds), then C_GetInfo. */
CK_RV load_module(module *m, double *seconds) {
    CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    double t0 = now();
    void *h = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "p11bench: %s\n", dlerror()); return P11B_NO_TOKEN; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    CK_RV rv = get ? get(&m->f) : P11B_NO_TOKEN;
    if (rv == CKR_OK) rv = m->f->C_Initialize(&args);
    if (seconds) *seconds = now() - t0;
    return rv == CKR_OK ? m->f->C_GetInfo(&m->info) : rv;
}

/* Finds the token by label, opens the session the single-threaded cases use and logs in. */
CK_RV login_module(module *m) {
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    CK_RV rv = m->f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK) return rv;
    rv = P11B_NO_TOKEN;
    for (CK_ULONG i = 0; i < n && rv != CKR_OK; i++) {
        CK_TOKEN_INFO ti;
        char label[33];
        if (m->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK) continue;
        trim(label, ti.label, 32);
        if (strcmp(m->label, "*") == 0 || strcmp(label, m->label) == 0) { m->slot = slots[i]; rv = CKR_OK; }
    }
    if (rv != CKR_OK) { fprintf(stderr, "p11bench: %s: no token labelled '%s'\n", m->name, m->label); return rv; }
    rv = m->f->C_OpenSession(m->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &m->s);
    return rv != CKR_OK ? rv : m->f->C_Login(m->s, CKU_USER, (CK_UTF8CHAR *) m->pin, strlen(m->pin));
}

/* ---- runners -------------------------------------------------------------------------------------- */

/* Runs c->op for sample_s seconds (at least once); ops/s, or -1 with *rv set. */
double run_loop(module *m, const bcase *c, CK_RV *rv) {
    if (c->key != K_NONE && m->key_rv[c->key] != CKR_OK) { *rv = m->key_rv[c->key]; return -1; }
    static double *lat;
    static const long max_lat = 1 << 22;
    int timed = is_session_info(c) && m->n_lat <= MAX_ROUNDS;
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

/* A new process that only loads and initialises the module: the cost a consumer pays at start-up. With c->arg, the
   child also opens its first session (C_GetSlotList + C_OpenSession): a network module may connect only then. */
double run_cold(module *m, const bcase *c, CK_RV *rv) {
    int fd[2];
    if (pipe(fd) != 0) { perror("pipe"); exit(1); }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execl("/proc/self/exe", "p11bench", c->arg ? "--cold-session" : "--cold", m->path, (char *) NULL);
        _exit(127);
    }
    close(fd[1]);
    char out[64] = {0};
    ssize_t n = read(fd[0], out, sizeof out - 1);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    double ns = n > 0 ? strtod(out, NULL) : 0;
    if (ns <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) { *rv = P11B_WRONG_RESULT; return -1; }
    *rv = CKR_OK;
    return 1e9 / ns;
}

/* The first token's slot and a session on it (read-only, no login): what any consumer does before real work. */
static CK_RV first_session(module *m, CK_SESSION_HANDLE *s) {
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    CK_RV rv = m->f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv == CKR_OK && n == 0) return P11B_NO_TOKEN;
    return rv != CKR_OK ? rv : m->f->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL, s);
}

int cold_child(const char *path, int with_session) {
    module m = {.path = path};
    double seconds, t0;
    if (load_module(&m, &seconds) != CKR_OK) return 1;
    CK_SESSION_HANDLE s;
    if (with_session) {
        t0 = now();
        if (first_session(&m, &s) != CKR_OK) return 1;
        seconds += now() - t0;   /* C_GetInfo, untimed in load_module, stays out: it is local everywhere */
        m.f->C_CloseSession(s);
    }
    printf("%.0f\n", seconds * 1e9);
    fflush(stdout);
    m.f->C_Finalize(NULL);
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
    if (w->m->f->C_CloseSession(s) != CKR_OK && w->rv == CKR_OK) w->rv = P11B_WRONG_RESULT;
    return NULL;
}

/* c->arg threads, each signing on its own session for sample_s seconds; total ops/s. The clock starts once every
   thread has its session (over a network, opening one is a round trip) and stops at the last one's last signature,
   so neither session set-up nor C_CloseSession is counted. */
double run_threads(module *m, const bcase *c, CK_RV *rv) {
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
void run_objects(module *m, double ops[3], CK_RV rv[3]) {
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
        if (rv[1] == CKR_OK && count != 1) rv[1] = P11B_WRONG_RESULT;
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

int selected(const char *only, const char *name) {
    if (!only) return 1;
    char copy[512], *save, *tok;
    snprintf(copy, sizeof copy, "%s", only);
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (strcasestr(name, tok)) return 1;
    return 0;
}
