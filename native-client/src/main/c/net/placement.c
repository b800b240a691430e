/*
 * Which HSM a new session goes to, as HsmPool: the least-loaded serving HSM (fewest of the application's own
 * sessions, ties by the sessions the HSM reported to discovery, then round robin), as CloudHSM's client spreads work
 * over the cluster ([UG]/cluster-high-availability-load-balancing.html); with session-placement = application the
 * HSM already holding the application's sessions goes first, with = session the one holding its session objects.
 * Lost HSMs come last (they may be back). A call without a session goes to a connected HSM first.
 */
#include "jc_net_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct { jc_member *m; int own, placeable, home, lost, connected; uint64_t reported; } load;

static int by_load(const void *a, const void *b) {
    const load *x = a, *y = b;
    if (x->placeable != y->placeable) return y->placeable - x->placeable;
    if (x->own != y->own) return x->own - y->own;
    if (x->reported != y->reported) return x->reported < y->reported ? -1 : 1;
    return strcmp(x->m->label, y->m->label);
}

static int by_reachability(const void *a, const void *b) {
    const load *x = a, *y = b;
    if (x->lost != y->lost) return x->lost - y->lost;
    if (x->connected != y->connected) return y->connected - x->connected;
    return by_load(a, b);
}

int jc_place_order(jc_net_state *s, jc_member **out, int cap, int for_any_call) {
    jc_member *ms[256];
    int n = jc_state_members(s, ms, 256);
    load l[256];
    int k = 0;
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < n; i++) {
        int own = 0;
        for (int r = 0; r < s->n_routes; r++) own += s->routes[r].member == ms[i];
        l[k] = (load) {.m = ms[i], .own = own};
        k++;
    }
    pthread_mutex_unlock(&s->mu);
    int placeable = 0;
    for (int i = 0; i < k; i++) {
        jc_member *m = l[i].m;
        l[i].placeable = jc_member_placeable(m);
        pthread_mutex_lock(&m->mu);
        l[i].reported = m->reported_sessions;
        l[i].lost = m->lost;
        l[i].connected = m->conn != NULL;
        l[i].home = s->conf.spread_sessions ? m->session_objects && l[i].own > 0 : l[i].own > 0;
        int listed = m->listed;
        pthread_mutex_unlock(&m->mu);
        if (!listed && !l[i].placeable) l[i--] = l[--k]; /* retired: no new sessions */
        else placeable += l[i].placeable;
    }
    qsort(l, (size_t) k, sizeof *l, by_load);
    int ties = 0;
    while (ties < placeable && l[ties].own == l[0].own && l[ties].reported == l[0].reported) ties++;
    if (ties > 1) { /* among the equally loaded at the head, start at the next one in turn */
        unsigned shift = __atomic_fetch_add(&s->rr, 1, __ATOMIC_RELAXED) % (unsigned) ties;
        load tmp[256];
        for (int i = 0; i < ties; i++) tmp[i] = l[(i + shift) % (unsigned) ties];
        memcpy(l, tmp, sizeof *l * (size_t) ties);
    }
    if (for_any_call) {
        qsort(l, (size_t) k, sizeof *l, by_reachability);
    } else {
        for (int i = 0; i < placeable; i++) {
            if (l[i].home) {
                load h = l[i];
                memmove(l + 1, l, sizeof *l * (size_t) i);
                l[0] = h;
                break;
            }
        }
    }
    int o = 0;
    for (int i = 0; i < k && o < cap; i++) out[o++] = l[i].m;
    return o;
}
