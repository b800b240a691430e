/*
 * Signal chaining for hosts that install their own SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers after loading the
 * module (cmocka does, around each test). HotSpot raises SIGSEGV on purpose (safepoint polls, implicit null
 * checks) and its handler must see it first; a host handler that takes it instead longjmps out of the JVM.
 *
 * HotSpot's libjsig.so solves this by interposing sigaction/signal/sigset: once the JVM has set its handlers,
 * a later host handler is only recorded, and the JVM chains to it for faults that are not its own. That needs
 * libjsig ahead of libc in symbol lookup, which only LD_PRELOAD gives: a library dlopened later, RTLD_GLOBAL
 * or not, comes after libc and is never chosen. So before the JVM is created, the shim loads libjsig from the
 * JVM's own JDK and points the loaded objects' GOT entries for those three functions at libjsig's, which is
 * what the dynamic linker would have done with libjsig preloaded, and glibc's other names for signal() at
 * wrappers over libjsig's sigaction. Zero cost per call; C_Initialize repeats it
 * for objects loaded since. JHSM_SIGNAL_CHAINING=off disables it.
 *
 * Hosts whose crash handlers run on an alternate signal stack (Go's runtime requires it: a Go handler entered
 * on a goroutine's stack aborts the process) get the JVM's handlers with SA_ONSTACK too, so that what the JVM
 * chains to them still runs where they expect.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "jhsm_internal.h"

#if defined(__x86_64__)
#define JHSM_JUMP_SLOT R_X86_64_JUMP_SLOT
#define JHSM_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define JHSM_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define JHSM_GLOB_DAT R_AARCH64_GLOB_DAT
#endif

/* libjsig's three, then glibc's other names for signal(), which libjsig lacks: a program built as strict C
   (-std=c99, c11) calls __sysv_signal for signal(). Those three go through libjsig's sigaction below. */
static const char *const chained_names[] = {"sigaction", "signal", "sigset", "__sysv_signal", "sysv_signal",
                                            "bsd_signal"};
#define N_CHAINED (sizeof(chained_names) / sizeof(chained_names[0]))
#define N_FROM_LIBJSIG 3

static void *jsig_fn[N_CHAINED];     /* what each name is pointed at: libjsig's, or a wrapper over its sigaction */
static void *plain_fn[N_CHAINED];    /* what ordinary binding resolves to (libc's) */

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

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
    return ((sigaction_fn) jsig_fn[0])(sig, &act, &old) < 0 ? SIG_ERR : old.sa_handler;
}

/* glibc's System V signal(): one-shot, not blocked while it runs, interrupting system calls. */
static sighandler_t sysv_signal_chained(int sig, sighandler_t handler) {
    return signal_through_libjsig(sig, handler, SA_RESETHAND | SA_NODEFER, 0);
}

/* glibc's BSD signal() (what signal() is with _DEFAULT_SOURCE): restarting, blocked while it runs. */
static sighandler_t bsd_signal_chained(int sig, sighandler_t handler) {
    return signal_through_libjsig(sig, handler, SA_RESTART, 1);
}
static ElfW(Addr) jsig_base;
static int chaining;                 /* libjsig loaded by us: keep the GOT entries pointing at it */
static unsigned long long seen_adds; /* dl_iterate_phdr's load counter at the last pass */
static pthread_mutex_t patch_lock = PTHREAD_MUTEX_INITIALIZER;

#ifdef JHSM_JUMP_SLOT
typedef struct {
    const struct dl_phdr_info *obj;
    ElfW(Addr) relro_start, relro_end;
} object_view;

/* Dynamic-section addresses are relocated in place by glibc, except where it cannot (the vDSO). */
static ElfW(Addr) absolute(const object_view *o, ElfW(Addr) ptr) {
    return ptr < o->obj->dlpi_addr ? o->obj->dlpi_addr + ptr : ptr;
}

/* An entry not yet bound by lazy binding points into its own object's PLT. */
static int inside_object(const object_view *o, ElfW(Addr) value) {
    for (int i = 0; i < o->obj->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &o->obj->dlpi_phdr[i];
        ElfW(Addr) start = o->obj->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && value >= start && value < start + ph->p_memsz) {
            return 1;
        }
    }
    return 0;
}

/* Full RELRO makes the GOT read-only after relocation: open it for the one store, then close it again. */
static void store_entry(const object_view *o, void **slot, void *target) {
    ElfW(Addr) at = (ElfW(Addr)) slot;
    int in_relro = at >= o->relro_start && at < o->relro_end;
    long page = sysconf(_SC_PAGESIZE);
    void *page_start = (void *) (at & ~(ElfW(Addr)) (page - 1));
    if (in_relro && mprotect(page_start, (size_t) page, PROT_READ | PROT_WRITE) != 0) {
        return;
    }
    __atomic_store_n(slot, target, __ATOMIC_RELEASE);
    if (in_relro) {
        mprotect(page_start, (size_t) page, PROT_READ);
    }
}

static void patch_relocations(const object_view *o, const ElfW(Rela) *rel, size_t bytes, const ElfW(Sym) *symtab,
                              const char *strtab) {
    for (size_t k = 0; k < bytes / sizeof(ElfW(Rela)); k++) {
        unsigned long type = ELF64_R_TYPE(rel[k].r_info);
        if (type != JHSM_JUMP_SLOT && type != JHSM_GLOB_DAT) {
            continue;
        }
        const char *name = strtab + symtab[ELF64_R_SYM(rel[k].r_info)].st_name;
        for (size_t n = 0; n < N_CHAINED; n++) {
            void **slot = (void **) (o->obj->dlpi_addr + rel[k].r_offset);
            void *value = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
            /* Another interposer the host chose (a sanitizer's) is left alone. */
            if (strcmp(name, chained_names[n]) == 0 && value != jsig_fn[n] && plain_fn[n] != NULL
                && (value == plain_fn[n] || inside_object(o, (ElfW(Addr)) value))) {
                store_entry(o, slot, jsig_fn[n]);
            }
        }
    }
}

static int patch_object(struct dl_phdr_info *info, size_t size, void *unused) {
    (void) size, (void) unused;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    /* libc and the dynamic linker call their own internals; libjsig must reach the real functions. */
    if (info->dlpi_addr == jsig_base || strstr(name, "/libc.so") || strstr(name, "/ld-linux") || strstr(name, "vdso")) {
        return 0;
    }
    object_view o = {.obj = info};
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *) (info->dlpi_addr + ph->p_vaddr);
        } else if (ph->p_type == PT_GNU_RELRO) {
            o.relro_start = info->dlpi_addr + ph->p_vaddr;
            o.relro_end = o.relro_start + ph->p_memsz;
        }
    }
    ElfW(Addr) symtab = 0, strtab = 0, jmprel = 0, rela = 0;
    size_t jmprel_bytes = 0, rela_bytes = 0;
    for (; dyn != NULL && dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
            case DT_SYMTAB: symtab = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_STRTAB: strtab = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_JMPREL: jmprel = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_PLTRELSZ: jmprel_bytes = dyn->d_un.d_val; break;
            case DT_RELA: rela = absolute(&o, dyn->d_un.d_ptr); break;
            case DT_RELASZ: rela_bytes = dyn->d_un.d_val; break;
            default: break;
        }
    }
    if (symtab == 0 || strtab == 0) {
        return 0;
    }
    if (jmprel != 0) {
        patch_relocations(&o, (const ElfW(Rela) *) jmprel, jmprel_bytes, (const ElfW(Sym) *) symtab, (const char *) strtab);
    }
    if (rela != 0) {
        patch_relocations(&o, (const ElfW(Rela) *) rela, rela_bytes, (const ElfW(Sym) *) symtab, (const char *) strtab);
    }
    return 0;
}

static int count_adds(struct dl_phdr_info *info, size_t size, void *out) {
    (void) size;
    *(unsigned long long *) out = info->dlpi_adds;
    return 1;
}

void jhsm_signals_cover_new_objects(void) {
    if (!__atomic_load_n(&chaining, __ATOMIC_ACQUIRE)) {
        return;
    }
    pthread_mutex_lock(&patch_lock);
    unsigned long long adds = 0;
    dl_iterate_phdr(count_adds, &adds);
    if (adds != seen_adds) {
        seen_adds = adds;
        dl_iterate_phdr(patch_object, NULL);
    }
    pthread_mutex_unlock(&patch_lock);
}
#else
void jhsm_signals_cover_new_objects(void) {
}
#endif

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
    if (disabled_by_user() || dlsym(RTLD_DEFAULT, "JVM_begin_signal_setting") != NULL) {
        return;
    }
#ifdef JHSM_JUMP_SLOT
    char path[4096];
    snprintf(path, sizeof(path), "%s/lib/libjsig.so", java_home);
    for (size_t n = 0; n < N_CHAINED; n++) {
        plain_fn[n] = dlsym(RTLD_DEFAULT, chained_names[n]);
    }
    /* RTLD_GLOBAL: the JVM looks for JVM_begin_signal_setting in the global scope when it sets its handlers. */
    void *jsig = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    struct link_map *map = NULL;
    if (jsig == NULL || dlinfo(jsig, RTLD_DI_LINKMAP, &map) != 0) {
        fprintf(stderr, "jhsm: %s not loaded (%s): a host that installs its own SIGSEGV handler after loading the "
                        "module will crash the JVM; preload libjsig.so with LD_PRELOAD if yours does\n",
                path, jsig ? dlerror() : "missing");
        return;
    }
    jsig_base = map->l_addr;
    for (size_t n = 0; n < N_FROM_LIBJSIG; n++) {
        jsig_fn[n] = dlsym(jsig, chained_names[n]);
        if (jsig_fn[n] == NULL || plain_fn[n] == NULL) {
            return;
        }
    }
    jsig_fn[3] = (void *) sysv_signal_chained;
    jsig_fn[4] = (void *) sysv_signal_chained;
    jsig_fn[5] = (void *) bsd_signal_chained;
    __atomic_store_n(&chaining, 1, __ATOMIC_RELEASE);
    jhsm_signals_cover_new_objects();
#endif
}
