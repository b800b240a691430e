/*
 * The PKCS#11 surface of libjhsm.so: the two function lists, the interface list, and one
 * trampoline per function that forwards to the callback Java registered. No PKCS#11 logic lives
 * here; every argument check and every answer belongs to the Java side.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "jhsm_internal.h"
#include "jhsm_functions.h"

void *jhsm_java_fns[JHSM_FN_COUNT_3_2];

/* A JVM's threads do not survive fork(): a child must never enter Java, or it would hang. The
   pthread_atfork child handler raises the flag, so the hot path reads a variable instead of making
   a getpid() system call on every PKCS#11 call. */
static inline int in_forked_child(void) {
    return __builtin_expect(jhsm_forked, 0);
}

static CK_RV forked_rv(int idx) {
    static pid_t warned;
    if (idx != 0) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    if (warned != getpid()) {
        warned = getpid();
        fprintf(stderr, "jhsm: C_Initialize in a fork()ed child: the parent already runs jhsm's JVM and a JVM does not "
                        "survive fork(); load the module only after forking, or share it across processes with `p11-kit server`\n");
    }
    return CKR_GENERAL_ERROR;
}

static CK_RV unregistered_rv(void) {
    return jhsm_java_ready() ? CKR_FUNCTION_NOT_SUPPORTED : CKR_GENERAL_ERROR;
}

/* C_Initialize also (re)tries the JVM start, so a module whose C_GetFunctionList ran before
   the JVM was up (or timed out waiting for it) still comes up, and extends signal chaining to
   libraries the host loaded since. */
#define JHSM_TRAMPOLINE(idx, name, params, args)                                   \
    static CK_RV t_##name params {                                                 \
        if (in_forked_child()) {                                                   \
            return forked_rv(idx);                                                 \
        }                                                                          \
        if (idx == 0) {                                                            \
            CK_RV boot = jhsm_ensure_java();                                       \
            if (boot != CKR_OK) {                                                  \
                return boot;                                                       \
            }                                                                      \
            jhsm_signals_cover_new_objects();                                      \
        }                                                                          \
        if (__builtin_expect(jhsm_direct_ready(), 1)) {                            \
            const int64_t all[JHSM_MAX_ARGS] = {JHSM_I64S args};                   \
            return jhsm_upcall(idx, all);                                          \
        }                                                                          \
        CK_RV (*fn) params = (CK_RV (*) params)                                    \
            __atomic_load_n(&jhsm_java_fns[idx], __ATOMIC_ACQUIRE);                \
        if (fn == NULL) {                                                          \
            return unregistered_rv();                                              \
        }                                                                          \
        jhsm_attach_current_thread();                                              \
        return fn args;                                                            \
    }

JHSM_JAVA_FUNCTIONS(JHSM_TRAMPOLINE)

/* The 3.2 functions jhsm lacks (async): a stub of the right signature each, so no caller is misled. */
#define JHSM_UNSUPPORTED_STUB(idx, name, params, args) \
    static CK_RV t_##name params {                     \
        return CKR_FUNCTION_NOT_SUPPORTED;             \
    }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
JHSM_UNSUPPORTED_FUNCTIONS(JHSM_UNSUPPORTED_STUB)
#pragma GCC diagnostic pop

CK_RV C_GetFunctionList(void **ppFunctionList) __attribute__((visibility("default")));
CK_RV C_GetInterfaceList(CK_INTERFACE *pInterfacesList, CK_ULONG *pulCount) __attribute__((visibility("default")));
CK_RV C_GetInterface(CK_CHAR *pInterfaceName, CK_VERSION *pVersion, CK_INTERFACE **ppInterface, CK_FLAGS flags)
    __attribute__((visibility("default")));
void jhsm_register(int index, void *fn) __attribute__((visibility("default")));

#define JHSM_TABLE_ENTRY(idx, name, params, args) [idx] = (void *) t_##name,

static jhsm_function_list_3_2 list_3_2 = {
    {3, 2},
    {
        JHSM_JAVA_FUNCTIONS(JHSM_TABLE_ENTRY)
        JHSM_UNSUPPORTED_FUNCTIONS(JHSM_TABLE_ENTRY)
        [JHSM_IDX_C_GetFunctionList] = (void *) C_GetFunctionList,
        [JHSM_IDX_C_GetInterfaceList] = (void *) C_GetInterfaceList,
        [JHSM_IDX_C_GetInterface] = (void *) C_GetInterface,
    }
};

/* The 3.0 and 2.40 lists are the first 92 and 68 entries of the 3.2 one, filled at load time from it. */
static jhsm_function_list list_3_0 = {{3, 0}, {0}};
static jhsm_function_list_2_40 list_2_40 = {{2, 40}, {0}};

static CK_CHAR interface_name[] = "PKCS 11";

/* C_GetInterface(NULL, NULL) answers the first: 3.0, the version C_GetInfo reports and the list
   existing consumers were built against. A consumer asks for 3.2 by version to reach
   C_EncapsulateKey/C_DecapsulateKey, C_VerifySignature*, the authenticated wrapping pair and
   C_GetSessionValidationFlags. Not CKF_INTERFACE_FORK_SAFE. */
static CK_INTERFACE interfaces[3] = {
    {interface_name, &list_3_0, 0},
    {interface_name, &list_3_2, 0},
    {interface_name, &list_2_40, 0},
};

__attribute__((constructor)) static void fill_older_lists(void) {
    memcpy(list_3_0.fn, list_3_2.fn, sizeof(list_3_0.fn));
    memcpy(list_2_40.fn, list_3_2.fn, sizeof(list_2_40.fn));
}

/* Java calls this (through JNA) once per callback while it boots. */
void jhsm_register(int index, void *fn) {
    if (index >= 0 && index < JHSM_FN_COUNT_3_2 && index != JHSM_IDX_C_GetFunctionList
        && index != JHSM_IDX_C_GetInterfaceList && index != JHSM_IDX_C_GetInterface) {
        __atomic_store_n(&jhsm_java_fns[index], fn, __ATOMIC_RELEASE);
    }
}

/* The lists are answered here, but only once Java is up, so that a failing JVM is reported at
   the first call an application makes rather than as a mystery at C_Initialize. A forked child
   still gets the list: its C_Initialize then explains why it cannot work. */
static CK_RV java_for_lists(void) {
    return in_forked_child() ? CKR_OK : jhsm_ensure_java();
}

CK_RV C_GetFunctionList(void **ppFunctionList) {
    if (ppFunctionList == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    CK_RV rv = java_for_lists();
    if (rv == CKR_OK) {
        *ppFunctionList = &list_2_40;
    }
    return rv;
}

CK_RV C_GetInterfaceList(CK_INTERFACE *pInterfacesList, CK_ULONG *pulCount) {
    if (pulCount == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    CK_RV rv = java_for_lists();
    if (rv != CKR_OK) {
        return rv;
    }
    CK_ULONG count = sizeof(interfaces) / sizeof(interfaces[0]);
    if (pInterfacesList == NULL) {
        *pulCount = count;
        return CKR_OK;
    }
    if (*pulCount < count) {
        *pulCount = count;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(pInterfacesList, interfaces, sizeof(interfaces));
    *pulCount = count;
    return CKR_OK;
}

CK_RV C_GetInterface(CK_CHAR *pInterfaceName, CK_VERSION *pVersion, CK_INTERFACE **ppInterface, CK_FLAGS flags) {
    if (ppInterface == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    CK_RV rv = java_for_lists();
    if (rv != CKR_OK) {
        return rv;
    }
    if (pInterfaceName != NULL && strcmp((const char *) pInterfaceName, (const char *) interface_name) != 0) {
        return CKR_ARGUMENTS_BAD;
    }
    for (size_t i = 0; i < sizeof(interfaces) / sizeof(interfaces[0]); i++) {
        const CK_VERSION *v = (const CK_VERSION *) interfaces[i].pFunctionList;
        int version_ok = pVersion == NULL || (pVersion->major == v->major && pVersion->minor == v->minor);
        if (version_ok && (interfaces[i].flags & flags) == flags) {
            *ppInterface = &interfaces[i];
            return CKR_OK;
        }
    }
    return CKR_ARGUMENTS_BAD;
}
