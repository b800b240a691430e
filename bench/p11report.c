/* p11bench's report: the Markdown table, the CSV, and the stamp of machine, JVM and modules. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "p11bench.h"

static const char *rv_name(CK_RV rv) {
    static const struct { CK_RV rv; const char *name; } names[] = {
        {0x05, "CKR_GENERAL_ERROR"}, {0x06, "CKR_FUNCTION_FAILED"}, {0x07, "CKR_ARGUMENTS_BAD"},
        {0x12, "CKR_ATTRIBUTE_TYPE_INVALID"}, {0x13, "CKR_ATTRIBUTE_VALUE_INVALID"}, {0x30, "CKR_DEVICE_ERROR"},
        {0x31, "CKR_DEVICE_MEMORY"}, {0x40, "CKR_ENCRYPTED_DATA_INVALID"}, {0x41, "CKR_ENCRYPTED_DATA_LEN_RANGE"},
        {0x60, "CKR_KEY_HANDLE_INVALID"}, {0x62, "CKR_KEY_SIZE_RANGE"}, {0x54, "CKR_FUNCTION_NOT_SUPPORTED"}, {0x63, "CKR_KEY_TYPE_INCONSISTENT"},
        {0x68, "CKR_KEY_FUNCTION_NOT_PERMITTED"}, {0x70, "CKR_MECHANISM_INVALID"},
        {0x71, "CKR_MECHANISM_PARAM_INVALID"}, {0x82, "CKR_OBJECT_HANDLE_INVALID"},
        {0xD0, "CKR_TEMPLATE_INCOMPLETE"}, {0xD1, "CKR_TEMPLATE_INCONSISTENT"},
        {0xA0, "CKR_PIN_INCORRECT"}, {0x101, "CKR_USER_NOT_LOGGED_IN"}, {0x130, "CKR_DOMAIN_PARAMS_INVALID"}, {0x150, "CKR_BUFFER_TOO_SMALL"},
        {0x1000, "p11bench: no such token"}, {0x1001, "p11bench: wrong result"},
        {0x1002, "p11bench: the child process failed"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].rv == rv) return names[i].name;
    return NULL;
}

void fmt_rv(char *out, size_t n, CK_RV rv) {
    const char *name = rv_name(rv);
    if (name) snprintf(out, n, "%s (0x%lX)", name, rv);
    else snprintf(out, n, "CK_RV 0x%lX", rv);
}

void trim(char *dst, const CK_UTF8CHAR *src, size_t n) {
    memcpy(dst, src, n);
    dst[n] = 0;
    for (size_t i = n; i > 0 && dst[i - 1] == ' '; i--) dst[i - 1] = 0;
}

/* ---- report ------------------------------------------------------------------------------------- */

int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* The median over the rounds (or with --best the best round); *spread is (max-min)/median either way. */
static double median(const result *r, double *spread) {
    double v[MAX_ROUNDS];
    memcpy(v, r->ops, r->n * sizeof v[0]);
    qsort(v, r->n, sizeof v[0], cmp_double);
    double med = r->n % 2 ? v[r->n / 2] : (v[r->n / 2 - 1] + v[r->n / 2]) / 2;
    *spread = med > 0 ? (v[r->n - 1] - v[0]) / med * 100 : 0;
    return best_of ? v[r->n - 1] : med;
}

void fmt_ops(char *o, size_t n, double v) {
    snprintf(o, n, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
}

void read_first(const char *path, const char *key, char *out, size_t n) {
    FILE *f = fopen(path, "r");
    char line[512];
    out[0] = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key)) != 0) continue;
        char *v = *key ? strpbrk(line, ":=") : NULL;
        v = v ? v + 1 : line;
        while (*v == ' ' || *v == '\t' || *v == '"') v++;
        snprintf(out, n, "%.*s", (int) n - 1, v);
        out[strcspn(out, "\"\n")] = 0;
        break;
    }
    if (f) fclose(f);
}

/* The JVM a module booted in this process, found by its libjvm.so mapping. */
void jvm_in_process(char *out, size_t n) {
    char home[512] = "", ver[128], impl[128], rt[128];
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, "/lib/server/libjvm.so");
        if (!p) continue;
        *p = 0;
        snprintf(home, sizeof home, "%s", strchr(line, '/'));
        break;
    }
    if (f) fclose(f);
    if (!home[0]) { snprintf(out, n, "none (no module booted a JVM)"); return; }
    char release[600];
    snprintf(release, sizeof release, "%s/release", home);
    read_first(release, "JAVA_VERSION=", ver, sizeof ver);
    read_first(release, "JAVA_RUNTIME_VERSION=", rt, sizeof rt);
    read_first(release, "IMPLEMENTOR=", impl, sizeof impl);
    snprintf(out, n, "%s %s%s%s (%s)", impl[0] ? impl : "Java", ver, rt[0] ? ", runtime " : "", rt, home);
}

static void stamp(FILE *o, const char *prefix, const table *t, module *mods, int n_mods, int rounds,
                  const char *load0) {
    char cpu[256], jvm[1024], load1[128], date[64];
    time_t wall = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&wall));
    read_first("/proc/cpuinfo", "model name", cpu, sizeof cpu);
    read_first("/proc/loadavg", "", load1, sizeof load1);
    if (jvm_seen[0]) snprintf(jvm, sizeof jvm, "%s", jvm_seen);
    else jvm_in_process(jvm, sizeof jvm);
    fprintf(o, "%sdate: %s\n", prefix, date);
    fprintf(o, "%smachine: %ld cores, %s\n", prefix, sysconf(_SC_NPROCESSORS_ONLN), cpu);
    fprintf(o, "%sload average: %s at start, %s at end\n", prefix, load0, load1);
    fprintf(o, "%sJVM in the benchmark process: %s\n", prefix, jvm);
    for (int i = 0; i < n_stamps; i++) fprintf(o, "%s%s\n", prefix, stamps[i]);
    for (int i = 0; i < n_mods; i++) {
        char desc[33], manu[33];
        trim(desc, mods[i].info.libraryDescription, 32);
        trim(manu, mods[i].info.manufacturerID, 32);
        fprintf(o, "%smodule %s: %s, library %d.%d, \"%s\" by %s\n", prefix, mods[i].name, mods[i].path,
                mods[i].info.libraryVersion.major, mods[i].info.libraryVersion.minor, desc, manu);
    }
    const char *stat = best_of ? "best round" : "median";
    if (t->per_process)
        fprintf(o, "%ssettings: %d rounds of a fresh process per module (%s), %.0f ms per row, %ld token objects\n",
                prefix, rounds, stat, sample_s * 1e3, n_objects);
    else
        fprintf(o, "%ssettings: %d rounds (%s), %.0f ms per sample, %ld token objects in %d round(s)\n", prefix, rounds,
                stat, sample_s * 1e3, n_objects, object_rounds < rounds ? object_rounds : rounds);
}

static void cell(char *o, size_t n, const result *r, double *med, double *spread) {
    *med = -1;
    if (r->rv != CKR_OK) { char e[80]; fmt_rv(e, sizeof e, r->rv); snprintf(o, n, "n/a: %s", e); return; }
    if (r->n == 0) { snprintf(o, n, "not run"); return; }
    *med = median(r, spread);
    fmt_ops(o, n, *med);
}

/* Median over the recorded samples (the warm-up's dropped) of each sample's per-call median and p99. */
static void latency(FILE *o, const char *prefix, module *mods, int n_mods) {
    int any = 0;
    for (int i = 0; i < n_mods; i++) {
        module *m = &mods[i];
        int skip = m->n_lat > 1, k = m->n_lat - skip;
        if (k <= 0) continue;
        double med[MAX_ROUNDS + 1], p99[MAX_ROUNDS + 1];
        memcpy(med, m->lat_med_us + skip, k * sizeof med[0]);
        memcpy(p99, m->lat_p99_us + skip, k * sizeof p99[0]);
        qsort(med, k, sizeof med[0], cmp_double);
        qsort(p99, k, sizeof p99[0], cmp_double);
        fprintf(o, "%sC_GetSessionInfo timed call by call, %s: median %.2f µs, p99 %.2f µs\n", prefix, m->name,
                med[k / 2], p99[k / 2]);
        any = 1;
    }
    if (*prefix == 0 && any) fprintf(o, "\n");
}

void report(FILE *md, FILE *csv, const table *t, module *mods, int n_mods, result res[][MAX_MODULES], int rounds,
            const char *load0) {
    const char *stat = best_of ? "best round:" : "median:";
    if (md) {
        if (t->note) fprintf(md, "%s\n\n", t->note);
        fprintf(md, "| operation |");
        for (int i = 0; i < n_mods; i++) fprintf(md, " %s ops/s |", mods[i].name);
        if (n_mods > 1) fprintf(md, " ratio %s/%s |", mods[0].name, mods[1].name);
        fprintf(md, " spread (max-min)/median |\n|---|");
        for (int i = 0; i < n_mods + (n_mods > 1) + 1; i++) fprintf(md, "--:|");
        fprintf(md, "\n");
    }
    if (csv) {
        if (t->note) fprintf(csv, "# mode: %s\n", t->note);
        stamp(csv, "# ", t, mods, n_mods, rounds, load0);
        latency(csv, "# ", mods, n_mods);
        fprintf(csv, "operation");
        for (int i = 0; i < n_mods; i++) fprintf(csv, ",%s_ops_per_s,%s_spread_pct,%s_rv", mods[i].name,
                                                 mods[i].name, mods[i].name);
        fprintf(csv, ",ratio\n");
    }
    double cold_ms[MAX_MODULES] = {0}, call_us[MAX_MODULES] = {0};
    for (size_t c = 0; c < t->n; c++) {
        const bcase *bc = &t->cases[c];
        char txt[MAX_MODULES][128], spreads[256] = "";
        double med[MAX_MODULES], spread[MAX_MODULES] = {0};
        int skipped = 1;
        for (int i = 0; i < n_mods; i++) {
            cell(txt[i], sizeof txt[i], &res[c][i], &med[i], &spread[i]);
            if (res[c][i].n || res[c][i].rv) skipped = 0;
            if (bc->kind == COLD && !bc->arg && med[i] > 0) cold_ms[i] = 1e3 / med[i];
            if (is_session_info(bc) && med[i] > 0) call_us[i] = 1e6 / med[i];
            size_t l = strlen(spreads);
            snprintf(spreads + l, sizeof spreads - l, med[i] > 0 ? "%s%.0f%%" : "%s-", i ? " / " : "", spread[i]);
        }
        if (skipped) continue;
        double ratio = n_mods > 1 && med[0] > 0 && med[1] > 0 ? med[0] / med[1] : -1;
        if (md) {
            fprintf(md, "| %s%s |", bc->name, t->per_process && needs_key(bc) ? " †" : "");
            for (int i = 0; i < n_mods; i++) fprintf(md, " %s |", txt[i]);
            if (n_mods > 1) ratio > 0 ? fprintf(md, " %.2f |", ratio) : fprintf(md, " n/a |");
            fprintf(md, " %s |\n", spreads);
        }
        if (csv) {
            fprintf(csv, "\"%s\"", bc->name);
            for (int i = 0; i < n_mods; i++) {
                if (med[i] > 0) fprintf(csv, ",%.3f,%.1f,", med[i], spread[i]);
                else fprintf(csv, ",,,");
                if (res[c][i].rv) fprintf(csv, "0x%lX", res[c][i].rv);
            }
            ratio > 0 ? fprintf(csv, ",%.4f\n", ratio) : fprintf(csv, ",\n");
        }
    }
    if (md) {
        fprintf(md, "\n");
        for (int i = 0; i < n_mods && cold_ms[0] > 0; i++)
            fprintf(md, "%s%s %s %.1f ms", i ? "," : "Cold load + C_Initialize, ", i ? "" : stat, mods[i].name,
                    cold_ms[i]);
        if (n_mods > 1) fprintf(md, "%sRatios above 1 mean %s is faster.", cold_ms[0] > 0 ? ". " : "", mods[0].name);
        fprintf(md, "\n\n");
        for (int i = 0; i < n_mods && call_us[0] > 0; i++)
            fprintf(md, "%s%s %s %.2f µs", i ? "," : "One C_GetSessionInfo, ", i ? "" : stat, mods[i].name,
                    call_us[i]);
        if (call_us[0] > 0) fprintf(md, " per call (1 / throughput).\n\n");
        latency(md, "", mods, n_mods);
        stamp(md, "- ", t, mods, n_mods, rounds, load0);
    }
}


/* The table on stdout, then into the files asked for; 0 if a file cannot be written. */
int write_reports(const table *t, module *mods, int n_mods, result res[][MAX_MODULES], int rounds,
                  const char *load0, const char *md_path, const char *csv_path) {
    report(stdout, NULL, t, mods, n_mods, res, rounds, load0);
    FILE *md = md_path ? fopen(md_path, "w") : NULL, *csv = csv_path ? fopen(csv_path, "w") : NULL;
    if ((md_path && !md) || (csv_path && !csv)) { perror("p11bench: output file"); return 0; }
    if (md || csv) report(md, csv, t, mods, n_mods, res, rounds, load0);
    if (md) fclose(md);
    if (csv) fclose(csv);
    return 1;
}
