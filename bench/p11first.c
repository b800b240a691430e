/*
 * p11bench --first-second: what a short-lived consumer (pkcs11-tool, an openssl command, a CI step) gets. Every
 * round starts each module in a fresh process (fork + exec of p11bench --first-second-child, modules alternating
 * which goes first), which loads it, logs in and runs each row of first_second_table once for sample_s (1 s) with
 * no warm-up. The child reports on file descriptor 3, so a module's own output on stdout cannot be mistaken for a
 * result:
 *   info MAJOR MINOR<TAB>DESCRIPTION<TAB>MANUFACTURER     the module's C_GetInfo
 *   jvm TEXT                                             the JVM mapped into the child, if any
 *   row INDEX OPS_PER_S CK_RV                            one per row run, CK_RV in hex (0 = ran)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "p11bench.h"

#define CHILD_TIMEOUT_S 900              /* a hung module must not hang the benchmark */

char jvm_seen[1024];

/* ---- the child ------------------------------------------------------------------------------------ */

/* One row on a loaded module: its key first if it needs one (not counted), then one sample. */
static int run_row(module *m, const bcase *c, double seconds_to_load, double ops[3], CK_RV rv[3]) {
    if (c->kind == COLD) { ops[0] = 1 / seconds_to_load; rv[0] = CKR_OK; return 1; }
    if (needs_key(c) && !m->key_made[c->key]) make_key(m, c->key);
    if (c->kind == OBJ_CREATE) { run_objects(m, ops, rv); return 3; }
    ops[0] = c->kind == THREADS ? run_threads(m, c, &rv[0]) : run_loop(m, c, &rv[0]);
    return 1;
}

int first_second_child(const char *spec, const char *only) {
    module m = {0};
    FILE *out = fdopen(3, "w");
    if (!parse_module(&m, spec) || !out) { fprintf(stderr, "p11bench: bad first-second child call\n"); return 2; }
    setvbuf(out, NULL, _IOLBF, 0);
    double seconds = 0;
    CK_RV loaded = load_module(&m, &seconds), setup = loaded;
    if (loaded == CKR_OK) {
        char desc[33], manu[33], jvm[1024];
        trim(desc, m.info.libraryDescription, 32);
        trim(manu, m.info.manufacturerID, 32);
        fprintf(out, "info %d %d\t%s\t%s\n", m.info.libraryVersion.major, m.info.libraryVersion.minor, desc, manu);
        jvm_in_process(jvm, sizeof jvm);
        fprintf(out, "jvm %s\n", jvm);
        setup = login_module(&m);
    }
    const table *t = &first_second_table;
    for (size_t c = 0; c < t->n; c++) {
        const bcase *bc = &t->cases[c];
        if (!selected(only, bc->name) || bc->kind == OBJ_FIND || bc->kind == OBJ_DESTROY) continue;
        double ops[3] = {-1, -1, -1};
        CK_RV ready = bc->kind == COLD ? loaded : setup, rv[3] = {ready, ready, ready};
        int rows = bc->kind == OBJ_CREATE ? 3 : 1;
        if (ready == CKR_OK) rows = run_row(&m, bc, seconds, ops, rv);
        for (int k = 0; k < rows; k++) fprintf(out, "row %zu %.6g 0x%lX\n", c + k, ops[k], rv[k]);
        char o[32];
        fmt_ops(o, sizeof o, ops[0]);
        fprintf(stderr, "  %-42s  %s %s\n", bc->name, m.name, rv[0] == CKR_OK ? o : "n/a");
    }
    fclose(out);
    if (loaded == CKR_OK) m.f->C_Finalize(NULL);
    return setup == CKR_OK ? 0 : 1;
}

/* ---- the parent ----------------------------------------------------------------------------------- */

static void copy_padded(CK_UTF8CHAR *dst, const char *src) {
    size_t n = strlen(src);
    memset(dst, ' ', 32);
    memcpy(dst, src, n < 32 ? n : 32);
}

/* Reads one child's lines into res[][i] and m's stamp; marks the rows it was to run but did not report. */
static void read_child(FILE *in, module *m, int i, result res[][MAX_MODULES], char *reported) {
    char line[1200];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "row ", 4) == 0) {
            size_t c;
            double ops;
            CK_RV rv;
            if (sscanf(line + 4, "%zu %lf %lx", &c, &ops, &rv) != 3 || c >= first_second_table.n) continue;
            reported[c] = 1;
            if (rv != CKR_OK) res[c][i].rv = rv;
            else if (ops > 0 && res[c][i].n < MAX_ROUNDS) res[c][i].ops[res[c][i].n++] = ops;
        } else if (strncmp(line, "info ", 5) == 0) {
            int major = 0, minor = 0;
            char *desc = strchr(line, '\t'), *manu = desc ? strchr(desc + 1, '\t') : NULL;
            if (!manu || sscanf(line + 5, "%d %d", &major, &minor) != 2) continue;
            *manu++ = 0;
            m->info.libraryVersion.major = (CK_BYTE) major;
            m->info.libraryVersion.minor = (CK_BYTE) minor;
            copy_padded(m->info.libraryDescription, desc + 1);
            copy_padded(m->info.manufacturerID, manu);
        } else if (strncmp(line, "jvm ", 4) == 0 && strncmp(line + 4, "none", 4) != 0 && !jvm_seen[0]) {
            snprintf(jvm_seen, sizeof jvm_seen, "%.*s", (int) sizeof jvm_seen - 1, line + 4);
        }
    }
}

/* One fresh process for module i; its results go into res[][i]. */
static void run_child(module *m, int i, const char *only, result res[][MAX_MODULES]) {
    char spec[1024], ms[32], objects[32], reported[MAX_CASES] = {0};
    snprintf(spec, sizeof spec, "%s:%s:%s:%s", m->name, m->path, m->label, m->pin);
    snprintf(ms, sizeof ms, "%.0f", sample_s * 1e3);
    snprintf(objects, sizeof objects, "%ld", n_objects);
    int fd[2];
    if (pipe(fd) != 0) { perror("pipe"); exit(1); }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); exit(1); }
    if (pid == 0) {
        close(fd[0]);
        if (fd[1] != 3) { dup2(fd[1], 3); close(fd[1]); }
        alarm(CHILD_TIMEOUT_S);
        char *argv[] = {"p11bench", "--ms", ms, "--objects", objects, "--first-second-child", spec,
                        only ? "--only" : NULL, (char *) only, NULL};
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(fd[1]);
    FILE *in = fdopen(fd[0], "r");
    if (!in) { perror("fdopen"); exit(1); }
    read_child(in, m, i, res, reported);
    fclose(in);
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) fprintf(stderr, "p11bench: %s's first-second process died of signal %d\n", m->name,
                                     WTERMSIG(status));
    for (size_t c = 0; c < first_second_table.n; c++) {
        const bcase *bc = &first_second_table.cases[c];
        /* the find and destroy rows run with the create row, when it is selected */
        const bcase *lead = bc->kind == OBJ_FIND ? bc - 1 : bc->kind == OBJ_DESTROY ? bc - 2 : bc;
        if (selected(only, lead->name) && !reported[c] && res[c][i].rv == CKR_OK) res[c][i].rv = P11B_CHILD_FAILED;
    }
}

int first_second(module *mods, int n_mods, int rounds, const char *only, const char *md_path, const char *csv_path) {
    static result res[MAX_CASES][MAX_MODULES];
    char load0[128];
    read_first("/proc/loadavg", "", load0, sizeof load0);
    for (int r = 0; r < rounds; r++) {
        fprintf(stderr, "== first second, round %d/%d: a fresh process per module\n", r + 1, rounds);
        for (int j = 0; j < n_mods; j++) {
            int i = r % 2 ? n_mods - 1 - j : j;   /* A B, then B A: neither always runs on a machine the other warmed */
            run_child(&mods[i], i, only, res);
        }
    }
    return write_reports(&first_second_table, mods, n_mods, res, rounds, load0, md_path, csv_path) ? 0 : 1;
}
