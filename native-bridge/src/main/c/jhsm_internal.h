/* What the two halves of the shim (tables and trampolines / JVM lifecycle) share. */
#ifndef JHSM_INTERNAL_H
#define JHSM_INTERNAL_H

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

#endif
