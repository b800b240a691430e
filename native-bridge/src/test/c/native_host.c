/*
 * A plain C application (no JVM in the process) using libjhsm.so: proves the JVM-boot path, the
 * fork guard and the Finalize/Initialize cycle, and measures start-up and per-call cost.
 * Prints KEY value lines for NativeHostTest; exits non-zero on the first unexpected CK_RV.
 * Usage: native_host <path/to/libjhsm.so> <iterations>
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define EXPECT(call, want)                                                              \
    do {                                                                                \
        CK_RV got_ = (call);                                                            \
        if (got_ != (want)) {                                                           \
            printf("FAIL %s = 0x%lx, want 0x%lx\n", #call, got_, (CK_RV) (want));      \
            return 1;                                                                   \
        }                                                                               \
    } while (0)

int main(int argc, char **argv) {
    if (argc < 3) {
        return 2;
    }
    long iterations = atol(argv[2]);
    double t0 = now_ms();
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        printf("FAIL dlopen %s\n", dlerror());
        return 1;
    }
    CK_C_GetFunctionList get_list = (CK_C_GetFunctionList) dlsym(lib, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR f = NULL;
    EXPECT(get_list(&f), CKR_OK);
    EXPECT(f->C_Initialize(NULL), CKR_OK);
    printf("BOOT_MS %.0f\n", now_ms() - t0);

    CK_INFO info;
    EXPECT(f->C_GetInfo(&info), CKR_OK);
    printf("INFO %d.%d|%.32s|%.32s\n", info.cryptokiVersion.major, info.cryptokiVersion.minor,
           (char *) info.manufacturerID, (char *) info.libraryDescription);

    CK_SESSION_INFO si;
    for (long i = 0; i < iterations / 5; i++) {
        f->C_GetSessionInfo(1, &si);
    }
    double t1 = now_ms();
    for (long i = 0; i < iterations; i++) {
        if (f->C_GetSessionInfo(1, &si) != CKR_OK) {
            printf("FAIL C_GetSessionInfo in loop\n");
            return 1;
        }
    }
    printf("PER_CALL_NS %.0f\n", (now_ms() - t1) * 1e6 / iterations);
    printf("SESSION %lu %lu %lu\n", si.slotID, si.state, si.flags);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        CK_ULONG n = 0;
        CK_RV list_rv = f->C_GetSlotList(CK_FALSE, NULL, &n);
        CK_RV init_rv = f->C_Initialize(NULL);
        _exit(list_rv == CKR_CRYPTOKI_NOT_INITIALIZED && init_rv == CKR_GENERAL_ERROR ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("FORK_CHILD %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "bad");
    CK_ULONG count = 0;
    EXPECT(f->C_GetSlotList(CK_FALSE, NULL, &count), CKR_OK);
    printf("PARENT_SLOTS %lu\n", count);

    for (int i = 0; i < 3; i++) {
        EXPECT(f->C_Finalize(NULL), CKR_OK);
        EXPECT(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
        EXPECT(f->C_Initialize(NULL), CKR_OK);
    }
    EXPECT(f->C_Finalize(NULL), CKR_OK);
    printf("DONE\n");
    return 0;
}
