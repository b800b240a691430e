/* The JHSM_CONF client file, read exactly as the Java client's ClientConfig reads it (Java-properties syntax). */
#include "jc_net_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { char *key, *value; } prop;
typedef struct { prop *p; int n, cap; } props;

static void props_put(props *ps, const char *k, size_t kl, const char *v, size_t vl) {
    for (int i = 0; i < ps->n; i++) {
        if (strlen(ps->p[i].key) == kl && memcmp(ps->p[i].key, k, kl) == 0) {
            free(ps->p[i].value);
            ps->p[i].value = strndup(v, vl);
            return;
        }
    }
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->p = realloc(ps->p, sizeof(prop) * (size_t) ps->cap);
    }
    ps->p[ps->n].key = strndup(k, kl);
    ps->p[ps->n].value = strndup(v, vl);
    ps->n++;
}

static void props_free(props *ps) {
    for (int i = 0; i < ps->n; i++) {
        free(ps->p[i].key);
        free(ps->p[i].value);
    }
    free(ps->p);
}

/* One logical line (continuations joined, escapes resolved) into key and value, as java.util.Properties.load. */
static void parse_line(props *ps, const char *line, size_t len) {
    char *buf = malloc(len + 1);
    size_t n = 0, key_end = (size_t) -1, value_start = (size_t) -1;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) i++;
    if (i == len || line[i] == '#' || line[i] == '!') {
        free(buf);
        return;
    }
    int in_key = 1, skipping_sep = 0, seen_eq = 0;
    for (; i < len; i++) {
        char ch = line[i];
        if (ch == '\\' && i + 1 < len) {
            char e = line[++i];
            ch = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == 'f' ? '\f' : e;
            if (skipping_sep) { skipping_sep = 0; value_start = n; }
            buf[n++] = ch;
            continue;
        }
        if (in_key && (ch == '=' || ch == ':' || ch == ' ' || ch == '\t' || ch == '\f')) {
            in_key = 0;
            key_end = n;
            skipping_sep = 1;
            seen_eq = ch == '=' || ch == ':';
            continue;
        }
        if (skipping_sep) {
            if (ch == ' ' || ch == '\t' || ch == '\f') continue;
            if (!seen_eq && (ch == '=' || ch == ':')) { seen_eq = 1; continue; }
            skipping_sep = 0;
            value_start = n;
        }
        buf[n++] = ch;
    }
    if (in_key) key_end = n;
    if (value_start == (size_t) -1) value_start = n;
    props_put(ps, buf, key_end, buf + value_start, n - value_start);
    free(buf);
}

static int read_props(const char *file, props *ps, char *why, size_t wn) {
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(why, wn, "cannot read the file: %s", strerror(errno));
        return -1;
    }
    char *logical = NULL;
    size_t ll = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int continuing = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t) got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        const char *start = line;
        if (continuing) { /* leading white space of a continuation line is dropped */
            while (len && (*start == ' ' || *start == '\t' || *start == '\f')) { start++; len--; }
        }
        size_t slashes = 0;
        while (slashes < len && start[len - 1 - slashes] == '\\') slashes++;
        int cont = slashes % 2 == 1;
        logical = realloc(logical, ll + len + 1);
        memcpy(logical + ll, start, cont ? len - 1 : len);
        ll += cont ? len - 1 : len;
        continuing = cont;
        if (!cont) {
            parse_line(ps, logical, ll);
            ll = 0;
        }
    }
    if (ll) parse_line(ps, logical, ll);
    free(logical);
    free(line);
    fclose(f);
    return 0;
}

/* As ClientConfig.strip: "x   # comment" reads as x; blank is absent. */
static char *get(props *ps, const char *key) {
    for (int i = 0; i < ps->n; i++) {
        if (strcmp(ps->p[i].key, key) == 0) {
            char *v = ps->p[i].value;
            char *hash = strstr(v, " #");
            size_t len = hash ? (size_t) (hash - v) : strlen(v);
            while (len && isspace((unsigned char) v[len - 1])) len--;
            while (len && isspace((unsigned char) *v)) { v++; len--; }
            return len ? strndup(v, len) : NULL;
        }
    }
    return NULL;
}

int jc_addr_parse(const char *text, jc_addr *out) {
    while (isspace((unsigned char) *text)) text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char) text[len - 1])) len--;
    const char *colon = NULL;
    for (size_t i = 0; i < len; i++) if (text[i] == ':') colon = text + i;
    size_t hl = len;
    out->port = 2223;
    if (colon && text[len - 1] != ']') {
        char *end;
        errno = 0;
        long p = strtol(colon + 1, &end, 10);
        if (end == colon + 1 || end != text + len || p < 1 || p > 65535) return -1;
        out->port = (int) p;
        hl = (size_t) (colon - text);
    }
    if (hl >= 2 && text[0] == '[' && text[hl - 1] == ']') { text++; hl -= 2; }
    if (hl == 0 || hl >= sizeof out->host) return -1;
    memcpy(out->host, text, hl);
    out->host[hl] = 0;
    return 0;
}

void jc_addr_str(const jc_addr *a, char *buf, size_t n) {
    snprintf(buf, n, strchr(a->host, ':') ? "[%s]:%d" : "%s:%d", a->host, a->port);
}

static char *resolve(const char *dir, char *v) {
    if (!v || v[0] == '/') return v;
    char *p = malloc(strlen(dir) + strlen(v) + 2);
    sprintf(p, "%s/%s", dir, v);
    free(v);
    return p;
}

static int millis(props *ps, const char *key, int64_t dflt, int64_t *out, char *why, size_t wn) {
    char *v = get(ps, key);
    *out = dflt;
    if (!v) return 0;
    char *end;
    long long ms = strtoll(v, &end, 10);
    int ok = *end == 0 && ms > 0;
    if (ok) *out = ms;
    else snprintf(why, wn, "%s must be a positive number of milliseconds, got %s", key, v);
    free(v);
    return ok ? 0 : -1;
}

/* The key's value among two (case-insensitive): 0 for `a` or absent, 1 for `b`, -1 otherwise. */
static int choice(props *ps, const char *key, const char *a, const char *b, char *why, size_t wn) {
    char *v = get(ps, key);
    int r = !v || strcasecmp(v, a) == 0 ? 0 : strcasecmp(v, b) == 0 ? 1 : -1;
    if (r < 0) snprintf(why, wn, "%s must be %s or %s, got %s", key, a, b, v);
    free(v);
    return r;
}

static int fill(jc_conf *c, props *ps, const char *dir, char *why, size_t wn) {
    char *hsms = get(ps, "hsms");
    if (!hsms) {
        char *local = get(ps, "directory");
        if (local) {
            free(local);
            snprintf(why, wn, "names no hsms: libjhsm-client.so only talks to HSM nodes; use dist/libjhsm.so for a local token");
        } else {
            snprintf(why, wn, "no hsms = HOST:PORT[,HOST:PORT…]");
        }
        return -1;
    }
    char *save = NULL;
    for (char *t = strtok_r(hsms, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const char *p = t;
        while (isspace((unsigned char) *p)) p++;
        if (!*p) continue;
        c->hsms = realloc(c->hsms, sizeof(jc_addr) * (size_t) (c->n_hsms + 1));
        if (jc_addr_parse(p, &c->hsms[c->n_hsms]) != 0) {
            snprintf(why, wn, "not HOST:PORT: %s", t);
            free(hsms);
            return -1;
        }
        c->n_hsms++;
    }
    free(hsms);
    if (c->n_hsms == 0) { snprintf(why, wn, "hsms names no HSM"); return -1; }
    c->ca_cert = resolve(dir, get(ps, "hsm-ca-cert"));
    c->client_cert = resolve(dir, get(ps, "client-cert"));
    c->client_key = resolve(dir, get(ps, "client-key"));
    if (millis(ps, "connect-timeout-ms", 10000, &c->connect_timeout_ms, why, wn)
        || millis(ps, "call-timeout-ms", 30000, &c->call_timeout_ms, why, wn)) return -1;
    int d = choice(ps, "discovery", "on", "off", why, wn);
    int r = choice(ps, "retry-mode", "standard", "off", why, wn);
    int k = choice(ps, "disable-key-availability-check", "false", "true", why, wn);
    int p = choice(ps, "session-placement", "application", "session", why, wn);
    if (d < 0 || r < 0 || k < 0 || p < 0) return -1;
    c->discovery = !d;
    c->retry_standard = !r;
    c->key_check = !k;
    c->spread_sessions = p;
    if (!c->ca_cert) { snprintf(why, wn, "hsm-ca-cert is required with hsms: the trust anchor that verifies the HSMs"); return -1; }
    if (!c->client_cert != !c->client_key) { snprintf(why, wn, "client-cert and client-key go together"); return -1; }
    return 0;
}

int jc_conf_load(jc_conf *c) {
    memset(c, 0, sizeof *c);
    const char *file = getenv("JHSM_CONF");
    if (!file || !*file) {
        jc_log_problem("CKR_GENERAL_ERROR", "JHSM_CONF is not set: libjhsm-client.so needs a client file naming hsms and "
                       "hsm-ca-cert (dist/jhsm cluster up writes one: client.conf)");
        return -1;
    }
    char abs[PATH_MAX];
    if (!realpath(file, abs)) snprintf(abs, sizeof abs, "%s", file);
    snprintf(c->file, sizeof c->file, "%s", abs);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", abs);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0; else snprintf(dir, sizeof dir, ".");
    props ps = {0};
    char why[1400] = "";
    int rc = read_props(abs, &ps, why, sizeof why);
    if (rc == 0) rc = fill(c, &ps, dir, why, sizeof why);
    props_free(&ps);
    if (rc != 0) {
        jc_log_problem("CKR_GENERAL_ERROR", "JHSM_CONF %s%s%s", abs, strncmp(why, "names", 5) == 0 ? " " : ": ", why);
        jc_conf_free(c);
    }
    return rc;
}

void jc_conf_free(jc_conf *c) {
    free(c->hsms);
    free(c->ca_cert);
    free(c->client_cert);
    free(c->client_key);
    c->hsms = NULL;
    c->ca_cert = c->client_cert = c->client_key = NULL;
    c->n_hsms = 0;
}
