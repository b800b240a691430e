/* What p11bench.c (the runner) and p11report.c (tables and stamps) share. */
#ifndef P11BENCH_H
#define P11BENCH_H
#include <stddef.h>
#include <stdio.h>
#include "p11.h"

#define MAX_MODULES 4
#define MAX_ROUNDS 64
#define MiB (1024 * 1024)

/* The _TOKEN keys are token objects (CKA_TOKEN true): every use by handle may consult the store. */
enum key { K_NONE, K_AES, K_EC, K_RSA, K_ED, K_AES_TOKEN, K_EC_TOKEN, K_COUNT };
enum kind { LOOP, COLD, THREADS, OBJ_CREATE, OBJ_FIND, OBJ_DESTROY };

typedef struct module {
    const char *name, *path, *label, *pin;
    CK_FUNCTION_LIST *f;
    CK_INFO info;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;                 /* the logged-in session the single-threaded cases use */
    CK_OBJECT_HANDLE key[K_COUNT], pub[K_COUNT];
    CK_RV key_rv[K_COUNT];               /* why a key is missing */
    CK_BYTE sig[K_COUNT][512];           /* one signature per key pair, for the verify cases */
    CK_ULONG sig_len[K_COUNT];
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

typedef struct { double ops[MAX_ROUNDS]; int n; CK_RV rv; } result;

extern double sample_s;
extern long n_objects;
extern int object_rounds;
extern const bcase cases[];
extern const size_t n_cases;

void fmt_rv(char *out, size_t n, CK_RV rv);
void trim(char *dst, const CK_UTF8CHAR *src, size_t n);
void read_first(const char *path, const char *key, char *out, size_t n);
void fmt_ops(char *o, size_t n, double v);
int cmp_double(const void *a, const void *b);
void report(FILE *md, FILE *csv, module *mods, int n_mods, result res[][MAX_MODULES], int rounds, const char *load0);
#endif
