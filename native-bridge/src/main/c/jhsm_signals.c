/*
 * Signal chaining for hosts that install their own SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers after loading the
 * module (cmocka does, around each test). HotSpot raises SIGSEGV on purpose (safepoint polls, implicit null
 * checks) and its handler must see it first; a host handler that takes it instead longjmps out of the JVM.
 *
 * HotSpot's libjsig.so solves this by interposing sigaction/signal/sigset: once the JVM has set its handlers,
 * a later host handler is only recorded, and the JVM chains to it for faults that are not its own. That needs
 * libjsig ahead of libc in symbol lookup, which only LD_PRELOAD gives: a library dlopened later, RTLD_GLOBAL or
 * not, comes after libc and is never chosen. So before the JVM is created the shim loads libjsig from the JVM's
 * own JDK and redirects the loaded objects' GOT entries for those functions to it (jhsm_got.c), and glibc's other
 * names for signal(), which libjsig lacks, to wrappers over libjsig's sigaction. Nothing is added per call;
 * C_Initialize repeats the pass for objects loaded since. JHSM_SIGNAL_CHAINING=off disables it.
 *
 * Hosts whose crash handlers run on an alternate signal stack (Go's runtime requires it: a Go handler entered
 * on a goroutine's stack aborts the process) get the JVM's handlers with SA_ONSTACK too, so that what the JVM
 * chains to them still runs where they expect.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jhsm_internal.h"

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

/* libjsig's three, then glibc's other names for signal(): a program built as strict C (-std=c99, c11) calls
   __sysv_signal for signal(). */
enum { BY_LIBJSIG = 3, N_REDIRECTS = 6 };
static jhsm_got_redirect redirects[N_REDIRECTS] = {
    {"sigaction", NULL, NULL}, {"signal", NULL, NULL}, {"sigset", NULL, NULL},
    {"__sysv_signal", NULL, NULL}, {"sysv_signal", NULL, NULL}, {"bsd_signal", NULL, NULL},
};
static uintptr_t jsig_base;
static int chaining;                 /* libjsig loaded by us: keep the GOT entries pointing at it */
static unsigned long long seen_loads;
static pthread_mutex_t pass_lock = PTHREAD_MUTEX_INITIALIZER;

/* signal() with the given semantics, through libjsig's sigaction, so that it records rather than replaces. */
static sighandler_t signal_through_libjsig(int sig, sighandler_t handler, int flags, int block_self) {
    struct sigaction act, old;
    memset(&act, 0, sizeof(act));
    act.sa_handler = handler;
    act.sa_flags = flags;
    sigemptyset(&act.sa_mask);
    if (handler == SIG_ERR || sig < 1 || sig >= NSIG || (block_self && sigaddset(&act.sa_mask, sig) != 0)) {
        errno = EINVAL;
        return SIG_ERR;
    }
    return ((sigaction_fn) redirects[0].replacement)(sig, &act, &old) < 0 ? SIG_ERR : old.sa_handler;
}

/* glibc's System V signal(): one-shot, not blocked while it runs, interrupting system calls. */
static sighandler_t sysv_signal_chained(int sig, sighandler_t handler) {
    return signal_through_libjsig(sig, handler, SA_RESETHAND | SA_NODEFER, 0);
}

/* glibc's BSD signal() (what signal() is with _DEFAULT_SOURCE): restarting, blocked while it runs. */
static sighandler_t bsd_signal_chained(int sig, sighandler_t handler) {
    return signal_through_libjsig(sig, handler, SA_RESTART, 1);
}

void jhsm_signals_cover_new_objects(void) {
    if (!__atomic_load_n(&chaining, __ATOMIC_ACQUIRE)) {
        return;
    }
    pthread_mutex_lock(&pass_lock);
    unsigned long long loads = jhsm_got_load_count();
    if (loads != seen_loads) {
        seen_loads = loads;
        jhsm_got_redirect_all(redirects, N_REDIRECTS, jsig_base);
    }
    pthread_mutex_unlock(&pass_lock);
}

static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define N_FAULT_SIGNALS (sizeof(fault_signals) / sizeof(fault_signals[0]))
static struct sigaction before_jvm[N_FAULT_SIGNALS];

/* libc's own sigaction: this library's GOT entry may point at libjsig, which would only record the change. */
static sigaction_fn real_sigaction(void) {
    return (sigaction_fn) dlsym(RTLD_NEXT, "sigaction");
}

static void record_handlers_before_jvm(void) {
    sigaction_fn act = real_sigaction();
    for (size_t i = 0; act != NULL && i < N_FAULT_SIGNALS; i++) {
        act(fault_signals[i], NULL, &before_jvm[i]);
    }
}

static int is_function(const struct sigaction *sa) {
    void *h = (sa->sa_flags & SA_SIGINFO) ? (void *) sa->sa_sigaction : (void *) sa->sa_handler;
    return h != (void *) SIG_DFL && h != (void *) SIG_IGN;
}

void jhsm_signals_after_jvm(void) {
    sigaction_fn act = real_sigaction();
    for (size_t i = 0; act != NULL && i < N_FAULT_SIGNALS; i++) {
        struct sigaction now;
        if (!is_function(&before_jvm[i]) || !(before_jvm[i].sa_flags & SA_ONSTACK)
            || act(fault_signals[i], NULL, &now) != 0 || (now.sa_flags & SA_ONSTACK)
            || (void *) now.sa_sigaction == (void *) before_jvm[i].sa_sigaction) {
            continue;
        }
        now.sa_flags |= SA_ONSTACK;
        act(fault_signals[i], &now, NULL);
    }
}

static int disabled_by_user(void) {
    const char *v = getenv("JHSM_SIGNAL_CHAINING");
    return v != NULL && (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0);
}

void jhsm_signals_chain(const char *java_home) {
    record_handlers_before_jvm();
    /* Preloaded by the host already (LD_PRELOAD=.../libjsig.so): the linker did it all. */
    if (disabled_by_user() || !jhsm_got_supported() || dlsym(RTLD_DEFAULT, "JVM_begin_signal_setting") != NULL) {
        return;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/lib/libjsig.so", java_home);
    for (size_t n = 0; n < N_REDIRECTS; n++) {
        redirects[n].plain = dlsym(RTLD_DEFAULT, redirects[n].name);
    }
    /* RTLD_GLOBAL: the JVM looks for JVM_begin_signal_setting in the global scope when it sets its handlers. */
    void *jsig = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    struct link_map *map = NULL;
    if (jsig == NULL || dlinfo(jsig, RTLD_DI_LINKMAP, &map) != 0) {
        fprintf(stderr, "jhsm: %s not loaded (%s): a host that installs its own SIGSEGV handler after loading the "
                        "module will crash the JVM; preload libjsig.so with LD_PRELOAD if yours does\n",
                path, dlerror());
        return;
    }
    jsig_base = (uintptr_t) map->l_addr;
    for (size_t n = 0; n < BY_LIBJSIG; n++) {
        redirects[n].replacement = dlsym(jsig, redirects[n].name);
        if (redirects[n].replacement == NULL || redirects[n].plain == NULL) {
            return;
        }
    }
    redirects[3].replacement = (void *) sysv_signal_chained;
    redirects[4].replacement = (void *) sysv_signal_chained;
    redirects[5].replacement = (void *) bsd_signal_chained;
    __atomic_store_n(&chaining, 1, __ATOMIC_RELEASE);
    jhsm_signals_cover_new_objects();
}
