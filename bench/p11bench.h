/* What the parts of p11bench share: p11ops.c (keys, operations, the case tables), p11run.c (modules and runners),
   p11bench.c (the warm benchmark), p11first.c (the first-second mode) and p11report.c (tables and stamps). */
#ifndef P11BENCH_H
#define P11BENCH_H
#include <stddef.h>
#include <stdio.h>
#include "p11.h"

#define MAX_MODULES 4
#define MAX_ROUNDS 64
#define MAX_STAMPS 8
#define MAX_CASES 64                     /* rows of the longest table */
#define MiB (1024 * 1024)

/* The _TOKEN keys are token objects (CKA_TOKEN true): every use by handle may consult the store. K_ECDH is a key
   pair whose private half may derive; K_RSA_OAEP one that encrypts and decrypts; K_HMAC a generic secret. */
enum key { K_NONE, K_AES, K_EC, K_RSA, K_ED, K_AES_TOKEN, K_EC_TOKEN, K_ECDH, K_RSA_OAEP, K_HMAC, K_COUNT };
enum kind { LOOP, COLD, THREADS, OBJ_CREATE, OBJ_FIND, OBJ_DESTROY };

typedef struct module {
    const char *name, *path, *label, *pin;
    CK_FUNCTION_LIST *f;
    CK_INFO info;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;                 /* the logged-in session the single-threaded cases use */
    CK_OBJECT_HANDLE key[K_COUNT], pub[K_COUNT];
    CK_RV key_rv[K_COUNT];               /* why a key is missing */
    int key_made[K_COUNT];               /* make_key ran for it (whatever it returned) */
    /* What a key's cases consume, made once with the key: a signature (verify), a ciphertext (decrypt), the peer's
       public point (ECDH). */
    CK_BYTE data[K_COUNT][512];
    CK_ULONG data_len[K_COUNT];
    /* C_GetSessionInfo timed call by call, one median and p99 per sample (the first is the warm-up's): a round
       trip's median is not 1/throughput when a loaded machine gives some calls a long tail. */
    double lat_med_us[MAX_ROUNDS + 1], lat_p99_us[MAX_ROUNDS + 1];
    int n_lat;
    CK_OBJECT_HANDLE *made;              /* objects a case created, destroyed after the sample */
    size_t n_made, cap_made;
} module;

struct bcase;
typedef CK_RV (*op_fn)(module *, const struct bcase *);
typedef struct bcase {
    const char *name;
    enum kind kind;
    op_fn op;
    enum key key;
    CK_MECHANISM_TYPE mech;
    long arg;                            /* data length, thread count ... */
} bcase;

/* One table of cases and how to present it: the warm benchmark's or the first second's. */
typedef struct table {
    const bcase *cases;
    size_t n;
    const char *note;                    /* a paragraph above the table (NULL: none) */
    int per_process;                     /* rows run once per fresh process (first second): mark the rows whose key
                                            was made just before their sample */
} table;

typedef struct { double ops[MAX_ROUNDS]; int n; CK_RV rv; } result;

/* p11bench's own CK_RV-like codes, beyond the specification's range. */
#define P11B_NO_TOKEN 0x1000UL
#define P11B_WRONG_RESULT 0x1001UL
#define P11B_CHILD_FAILED 0x1002UL

extern double sample_s;
extern long n_objects;
extern int object_rounds;
extern int keep_objects;
extern int best_of;                      /* report each module's best round instead of the median */
extern const char *stamps[MAX_STAMPS];   /* extra "- " lines under the table (--stamp) */
extern int n_stamps;
extern char jvm_seen[1024];              /* the JVM a child process mapped (first-second), else empty */
extern CK_BYTE *buf_in, *buf_out;
extern const table warm_table, first_second_table;

/* p11ops.c */
CK_RV make_key(module *m, enum key k);
CK_RV sign_once(module *m, CK_SESSION_HANDLE s, enum key k, CK_BYTE *sig, CK_ULONG *len);
int needs_key(const bcase *c);           /* the case uses a key made beforehand (not one it generates itself) */
int is_session_info(const bcase *c);

/* p11run.c */
double now(void);
void alloc_buffers(void);
void remember(module *m, CK_OBJECT_HANDLE h);
CK_RV load_module(module *m, double *seconds);
CK_RV login_module(module *m);
double run_loop(module *m, const bcase *c, CK_RV *rv);
double run_cold(module *m, const struct bcase *c, CK_RV *rv);
int cold_child(const char *path, int with_session);
double run_threads(module *m, const bcase *c, CK_RV *rv);
void run_objects(module *m, double ops[3], CK_RV rv[3]);
int selected(const char *only, const char *name);
int parse_module(module *m, const char *spec);

/* p11first.c */
int first_second(module *mods, int n_mods, int rounds, const char *only, const char *md_path, const char *csv_path);
int first_second_child(const char *spec, const char *only);

/* p11report.c */
void fmt_rv(char *out, size_t n, CK_RV rv);
void trim(char *dst, const CK_UTF8CHAR *src, size_t n);
void read_first(const char *path, const char *key, char *out, size_t n);
void fmt_ops(char *o, size_t n, double v);
int cmp_double(const void *a, const void *b);
void jvm_in_process(char *out, size_t n);
void report(FILE *md, FILE *csv, const table *t, module *mods, int n_mods, result res[][MAX_MODULES], int rounds,
            const char *load0);
int write_reports(const table *t, module *mods, int n_mods, result res[][MAX_MODULES], int rounds,
                  const char *load0, const char *md_path, const char *csv_path);
#endif
