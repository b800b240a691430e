/* What the two halves of the shim (tables and trampolines / JVM lifecycle) share. */
#ifndef JHSM_INTERNAL_H
#define JHSM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "jhsm_pkcs11.h"

#define JHSM_HIDDEN __attribute__((visibility("hidden")))

/* Callbacks Java registered, indexed by position in CK_FUNCTION_LIST_3_2. */
extern void *jhsm_java_fns[JHSM_FN_COUNT_3_2] JHSM_HIDDEN;

/* The pid that started or attached the JVM, 0 while there is none. */
extern volatile pid_t jhsm_jvm_pid JHSM_HIDDEN;
extern volatile int jhsm_forked JHSM_HIDDEN;

/* Starts or attaches the JVM and runs the Java bootstrap once; CKR_OK when Java is ready. */
CK_RV jhsm_ensure_java(void) JHSM_HIDDEN;

/* True once the Java bootstrap has registered its callbacks. */
int jhsm_java_ready(void) JHSM_HIDDEN;

/* Attaches a foreign thread to the JVM on its first call and keeps it attached until it exits. */
void jhsm_attach_slow(void) JHSM_HIDDEN;
extern __thread int jhsm_thread_attached JHSM_HIDDEN;

static inline void jhsm_attach_current_thread(void) {
    if (__builtin_expect(!jhsm_thread_attached, 0)) {
        jhsm_attach_slow();
    }
}

/* GOT redirection (jhsm_got.c): entries for `name` bound to `plain`, or not bound yet, are pointed at
   `replacement` in every loaded object but the one at skip_base, libc, the dynamic linker and the vDSO. */
typedef struct {
    const char *name;
    void *plain;
    void *replacement;
} jhsm_got_redirect;
int jhsm_got_supported(void) JHSM_HIDDEN;
void jhsm_got_redirect_all(const jhsm_got_redirect *redirects, size_t n, uintptr_t skip_base) JHSM_HIDDEN;
/* How many objects have been loaded in the process so far: unchanged means no new object to look at. */
unsigned long long jhsm_got_load_count(void) JHSM_HIDDEN;

/* Signal chaining through the JDK's libjsig.so for hosts that install crash handlers after loading us
   (jhsm_signals.c): done once before the JVM is created, and again at C_Initialize for objects loaded since. */
void jhsm_signals_chain(const char *java_home) JHSM_HIDDEN;
void jhsm_signals_cover_new_objects(void) JHSM_HIDDEN;
/* After the JVM set its handlers: SA_ONSTACK on them where the host's handlers they replaced had it. */
void jhsm_signals_after_jvm(void) JHSM_HIDDEN;

/* Set once the bridge booted with NativeBoot.bootDirect: trampolines then call Java through one JNI
   static call (jhsm_upcall, NativeBoot.call) instead of a JNA callback in jhsm_java_fns. */
extern volatile int jhsm_direct JHSM_HIDDEN;
/* The most arguments a PKCS#11 function has: C_UnwrapKeyAuthenticated's ten. */
#define JHSM_MAX_ARGS 10
CK_RV jhsm_upcall(int index, const int64_t args[JHSM_MAX_ARGS]) JHSM_HIDDEN;

static inline int jhsm_direct_ready(void) {
    return __atomic_load_n(&jhsm_direct, __ATOMIC_ACQUIRE);
}

/* The trampolines' arguments as JHSM_MAX_ARGS int64_t: pointers and CK_ULONGs as they are, CK_BBOOL as 0/1. */
#define JHSM_I64(x) ((int64_t) (uintptr_t) (x))
#define JHSM_I64S_1(a) JHSM_I64(a)
#define JHSM_I64S_2(a, ...) JHSM_I64(a), JHSM_I64S_1(__VA_ARGS__)
#define JHSM_I64S_3(a, ...) JHSM_I64(a), JHSM_I64S_2(__VA_ARGS__)
#define JHSM_I64S_4(a, ...) JHSM_I64(a), JHSM_I64S_3(__VA_ARGS__)
#define JHSM_I64S_5(a, ...) JHSM_I64(a), JHSM_I64S_4(__VA_ARGS__)
#define JHSM_I64S_6(a, ...) JHSM_I64(a), JHSM_I64S_5(__VA_ARGS__)
#define JHSM_I64S_7(a, ...) JHSM_I64(a), JHSM_I64S_6(__VA_ARGS__)
#define JHSM_I64S_8(a, ...) JHSM_I64(a), JHSM_I64S_7(__VA_ARGS__)
#define JHSM_I64S_9(a, ...) JHSM_I64(a), JHSM_I64S_8(__VA_ARGS__)
#define JHSM_I64S_10(a, ...) JHSM_I64(a), JHSM_I64S_9(__VA_ARGS__)
#define JHSM_COUNT_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, n, ...) n
#define JHSM_COUNT(...) JHSM_COUNT_(__VA_ARGS__, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define JHSM_CAT_(a, b) a##b
#define JHSM_CAT(a, b) JHSM_CAT_(a, b)
#define JHSM_I64S(...) JHSM_CAT(JHSM_I64S_, JHSM_COUNT(__VA_ARGS__))(__VA_ARGS__)

#endif
