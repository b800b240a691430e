/*
 * p11bench: measures PKCS#11 modules through their C ABI, side by side, in one process.
 *
 *   p11bench [--rounds N] [--quick] [--best] [--ms MS] [--warmup-ms MS] [--objects N] [--object-rounds N]
 *            [--keep-objects] [--only NAME,NAME] [--stamp TEXT ...]
 *            [--md FILE] [--csv FILE] -m NAME:PATH:LABEL:PIN ...
 *   p11bench --first-second [--rounds N] [--ms MS] [--objects N] [--best] [--only ...] [--md FILE] [--csv FILE] -m ...
 *            every round, each module in a fresh process (below), each row one sample with no warm-up
 *   p11bench --cold PATH        (internal) dlopen + C_GetFunctionList + C_Initialize, print nanoseconds
 *   p11bench --cold-session PATH (internal) the same + C_GetSlotList + the first C_OpenSession
 *   p11bench --first-second-child [--ms MS] [--objects N] [--only ...] NAME:PATH:LABEL:PIN
 *            (internal) load, log in, run the first-second rows; results as lines on file descriptor 3
 *
 * Every token named by -m must already be initialised with that label and user PIN (label "*": the first
 * token present, e.g. a CloudHSM cluster's; the PIN may be CloudHSM's "user:password"). Each round runs
 * every case on every module in turn (A B A B ...), so slow drift of a shared machine hits all modules
 * alike. A sample runs one operation in a loop for --ms milliseconds (at least once); the table reports
 * the median ops/s over the rounds and the spread (max-min)/median. The first column's module is the
 * numerator of the ratio. A case a module cannot run shows "n/a" and the CK_RV that stopped it. --best reports
 * each module's best round instead of the median.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "p11bench.h"

int best_of = 0;
const char *stamps[MAX_STAMPS];
int n_stamps = 0;

static void usage(void) {
    fprintf(stderr, "usage: p11bench [--first-second] [--rounds N] [--quick] [--best] [--ms MS] [--warmup-ms MS]"
                    " [--objects N] [--object-rounds N] [--keep-objects] [--only A,B] [--stamp TEXT] [--md FILE]"
                    " [--csv FILE] -m NAME:PATH:LABEL:PIN [-m ...]\n");
    exit(2);
}

/* Loads every module, logs in and makes every key the warm cases use. */
static int open_modules(module *mods, int n_mods) {
    for (int i = 0; i < n_mods; i++) {
        module *m = &mods[i];
        CK_RV rv = load_module(m, NULL);
        if (rv == CKR_OK) rv = login_module(m);
        if (rv != CKR_OK) {
            char e[80];
            fmt_rv(e, sizeof e, rv);
            fprintf(stderr, "p11bench: cannot set up module %s (%s): %s\n", m->name, m->path, e);
            return 0;
        }
        for (enum key k = K_NONE + 1; k < K_COUNT; k++) make_key(m, k);
    }
    return 1;
}

/* Every round runs every case on every module in turn; round 0 is a warm-up (JIT, caches, lazy loading), run but
   not recorded. */
static void warm_rounds(module *mods, int n_mods, result res[][MAX_MODULES], int rounds, double warmup_s,
                        const char *only) {
    const table *t = &warm_table;
    long objects = n_objects;
    for (int r = 0; r <= rounds; r++) {
        n_objects = r == 0 ? (objects < 200 ? objects : 200) : objects;
        fprintf(stderr, r == 0 ? "== warm-up round\n" : "== round %d/%d\n", r, rounds);
        double sample = sample_s;
        if (r == 0 && warmup_s > sample_s) sample_s = warmup_s;
        for (size_t c = 0; c < t->n; c++) {
            const bcase *bc = &t->cases[c];
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
                else if (bc->kind == COLD) ops[0] = run_cold(&mods[i], bc, &rv[0]);
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
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--cold") == 0) return cold_child(argv[2], 0);
    if (argc == 3 && strcmp(argv[1], "--cold-session") == 0) return cold_child(argv[2], 1);
    static module mods[MAX_MODULES];
    static result res[MAX_CASES][MAX_MODULES];
    int n_mods = 0, rounds = 0, quick = 0, first = 0, child = 0, objects_set = 0, ms_set = 0;
    double warmup_s = 0;   /* round 0's sample length when longer than sample_s: a remote module warms two JITs */
    const char *md_path = NULL, *csv_path = NULL, *only = NULL, *child_spec = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) { quick = 1; continue; }
        if (strcmp(a, "--best") == 0) { best_of = 1; continue; }
        if (strcmp(a, "--first-second") == 0) { first = 1; continue; }
        if (strcmp(a, "--keep-objects") == 0) { keep_objects = 1; continue; }
        if (!v) usage();
        i++;
        if (strcmp(a, "--rounds") == 0) rounds = atoi(v);
        else if (strcmp(a, "--ms") == 0) { sample_s = atof(v) / 1e3; ms_set = 1; }
        else if (strcmp(a, "--warmup-ms") == 0) warmup_s = atof(v) / 1e3;
        else if (strcmp(a, "--objects") == 0) { n_objects = atol(v); objects_set = 1; }
        else if (strcmp(a, "--object-rounds") == 0) object_rounds = atoi(v);
        else if (strcmp(a, "--only") == 0) only = v;
        else if (strcmp(a, "--stamp") == 0 && n_stamps < MAX_STAMPS) stamps[n_stamps++] = v;
        else if (strcmp(a, "--md") == 0) md_path = v;
        else if (strcmp(a, "--csv") == 0) csv_path = v;
        else if (strcmp(a, "--first-second-child") == 0) { child = 1; child_spec = v; }
        else if (strcmp(a, "-m") == 0 && n_mods < MAX_MODULES) { if (!parse_module(&mods[n_mods++], v)) usage(); }
        else usage();
    }
    if (first || child) {
        /* A consumer's first second: one sample per row, 1 s unless asked, a few hundred token objects. */
        if (!ms_set) sample_s = quick ? 0.2 : 1.0;
        if (!objects_set) n_objects = 200;
    }
    if (child) { alloc_buffers(); return first_second_child(child_spec, only); }
    if (n_mods == 0) usage();
    if (quick) {
        if (!rounds) rounds = first ? 1 : 2;
        if (!first) sample_s = sample_s < 0.1 ? sample_s : 0.1;
        n_objects = n_objects < 500 ? n_objects : 500;
    }
    if (rounds <= 0) rounds = first ? 3 : 5;
    if (rounds > MAX_ROUNDS) rounds = MAX_ROUNDS;
    if (first) return first_second(mods, n_mods, rounds, only, md_path, csv_path);

    alloc_buffers();
    char load0[128];
    read_first("/proc/loadavg", "", load0, sizeof load0);
    if (!open_modules(mods, n_mods)) return 1;
    warm_rounds(mods, n_mods, res, rounds, warmup_s, only);
    int ok = write_reports(&warm_table, mods, n_mods, res, rounds, load0, md_path, csv_path);
    for (int i = 0; i < n_mods; i++) mods[i].f->C_Finalize(NULL);
    return ok ? 0 : 1;
}
