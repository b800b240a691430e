/*
 * nc_fork: a PKCS#11 application that forks after C_Initialize, as a pre-forking server does (issue 18).
 *
 *   nc_fork MODULE PIN LABEL CHILDREN
 *
 * The parent initialises the module, logs in as the crypto user PIN ("name:password"), finds the EC key pair
 * LABEL and signs with CKM_ECDSA_SHA256. Then it forks CHILDREN children. Each child, bounded by alarm() so
 * that a hang kills it instead of the test:
 *   - calls C_GetInfo and C_SignInit on the parent's session before C_Initialize: both must answer
 *     CKR_CRYPTOKI_NOT_INITIALIZED (the child is a new application; nothing of the parent's is usable);
 *   - C_Initialize, C_OpenSession, C_Login, signs with the key handles the parent found (token-object handles
 *     are stable ids) and verifies with C_Verify, C_Finalize; exits 0 only if every step answered CKR_OK.
 * The parent signs and verifies while the children run and after they have exited, then C_Finalize.
 *
 * Output, one line each (the test verifies every signature with the JDK):
 *   sig parent|child-N HEX          a signature over MESSAGE
 *   child-N before 0x<rv> 0x<rv>    C_GetInfo and C_SignInit before C_Initialize
 *   child-N exit <status>|signal <n>
 *   parent signed <n> while children ran
 *   finalize 0x<rv>
 *   FAIL <what> 0x<rv>              a step that did not answer as expected (exit status 1)
 * Exit status 0 when everything above went as expected.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

#define MESSAGE "jhsm nc_fork: a message signed on both sides of fork()"
#define CHILD_ALARM_S 60
#define PARENT_ALARM_S 300
#define MAX_CHILDREN 64

static CK_FUNCTION_LIST *f;
static const char *who = "parent";
static int failures;

static void fail(const char *what, CK_RV rv) {
    printf("FAIL %s %s 0x%lx\n", who, what, (unsigned long) rv);
    fflush(stdout);
    failures++;
}

static int ok(CK_RV rv, const char *what) {
    if (rv != CKR_OK) fail(what, rv);
    return rv == CKR_OK;
}

static CK_RV load(const char *module) {
    void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("FAIL dlopen %s\n", dlerror());
        return CKR_GENERAL_ERROR;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    return get ? get(&f) : CKR_GENERAL_ERROR;
}

/* C_Initialize (the library may use OS locks and threads, as a server's would), a session on the first
 * slot with a token, logged in as the crypto user. */
static int start(const char *pin, CK_SESSION_HANDLE *s) {
    CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
    CK_SLOT_ID slot;
    CK_ULONG n = 1;
    if (!ok(f->C_Initialize(&args), "C_Initialize")) return 0;
    if (!ok(f->C_GetSlotList(CK_TRUE, &slot, &n), "C_GetSlotList")) return 0;
    if (n == 0) {
        fail("no slot with a token", CKR_TOKEN_NOT_PRESENT);
        return 0;
    }
    if (!ok(f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, s), "C_OpenSession")) return 0;
    return ok(f->C_Login(*s, CKU_USER, (CK_UTF8CHAR *) pin, strlen(pin)), "C_Login");
}

static int find(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const char *label, CK_OBJECT_HANDLE *key) {
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, (void *) label, strlen(label)}};
    CK_ULONG n = 0;
    if (!ok(f->C_FindObjectsInit(s, t, 2), "C_FindObjectsInit")) return 0;
    int found = ok(f->C_FindObjects(s, key, 1, &n), "C_FindObjects");
    ok(f->C_FindObjectsFinal(s), "C_FindObjectsFinal");
    if (found && n != 1) fail(cls == CKO_PRIVATE_KEY ? "no private key with that label" : "no public key with that label", CKR_OK);
    return found && n == 1;
}

/* Signs MESSAGE with the private key, checks it with C_Verify and prints "sig WHO HEX". */
static int sign_and_verify(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub) {
    CK_MECHANISM m = {CKM_ECDSA_SHA256, NULL, 0};
    CK_BYTE sig[256];
    CK_ULONG len = sizeof sig;
    CK_BYTE *data = (CK_BYTE *) MESSAGE;
    if (!ok(f->C_SignInit(s, &m, priv), "C_SignInit")) return 0;
    if (!ok(f->C_Sign(s, data, strlen(MESSAGE), sig, &len), "C_Sign")) return 0;
    if (!ok(f->C_VerifyInit(s, &m, pub), "C_VerifyInit")) return 0;
    if (!ok(f->C_Verify(s, data, strlen(MESSAGE), sig, len), "C_Verify")) return 0;
    printf("sig %s ", who);
    for (CK_ULONG i = 0; i < len; i++) printf("%02x", sig[i]);
    printf("\n");
    fflush(stdout);
    return 1;
}

static void child(const char *pin, CK_SESSION_HANDLE parents, CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub) {
    alarm(CHILD_ALARM_S);
    CK_INFO info;
    CK_MECHANISM m = {CKM_ECDSA_SHA256, NULL, 0};
    CK_RV before_info = f->C_GetInfo(&info);
    CK_RV before_sign = f->C_SignInit(parents, &m, priv);
    printf("%s before 0x%lx 0x%lx\n", who, (unsigned long) before_info, (unsigned long) before_sign);
    fflush(stdout);
    if (before_info != CKR_CRYPTOKI_NOT_INITIALIZED) fail("C_GetInfo before C_Initialize", before_info);
    if (before_sign != CKR_CRYPTOKI_NOT_INITIALIZED) fail("C_SignInit before C_Initialize", before_sign);
    CK_SESSION_HANDLE s;
    if (start(pin, &s)) {
        sign_and_verify(s, priv, pub);
        ok(f->C_Finalize(NULL), "C_Finalize");
    }
    _exit(failures == 0 ? 0 : 1);
}

/* Reaps one child if it has ended ("child-N exit S"); returns 1 when it did. */
static int reaped(pid_t pid, int n, int block) {
    int status;
    pid_t r = waitpid(pid, &status, block ? 0 : WNOHANG);
    if (r == 0) return 0;
    if (r < 0) {
        fail("waitpid", CKR_GENERAL_ERROR);
        return 1;
    }
    if (WIFEXITED(status)) {
        printf("child-%d exit %d\n", n, WEXITSTATUS(status));
        if (WEXITSTATUS(status) != 0) fail("a child exited non-zero", (CK_RV) WEXITSTATUS(status));
    } else {
        printf("child-%d signal %d%s\n", n, WTERMSIG(status), WTERMSIG(status) == SIGALRM ? " (hung: alarm)" : "");
        fail("a child was killed by a signal", (CK_RV) WTERMSIG(status));
    }
    fflush(stdout);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: nc_fork MODULE PIN LABEL CHILDREN\n");
        return 2;
    }
    const char *pin = argv[2], *label = argv[3];
    int children = atoi(argv[4]);
    if (children < 1 || children > MAX_CHILDREN) children = 8;
    alarm(PARENT_ALARM_S);
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE priv, pub;
    if (!ok(load(argv[1]), "C_GetFunctionList") || !start(pin, &s) || !find(s, CKO_PRIVATE_KEY, label, &priv)
            || !find(s, CKO_PUBLIC_KEY, label, &pub) || !sign_and_verify(s, priv, pub)) {
        return 1;
    }

    pid_t pids[MAX_CHILDREN];
    int running = 0;
    for (int i = 0; i < children; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            fail("fork", CKR_GENERAL_ERROR);
            break;
        }
        if (pid == 0) {
            static char name[32];
            snprintf(name, sizeof name, "child-%d", i);
            who = name;
            child(pin, s, priv, pub);
        }
        pids[running++] = pid;
    }

    /* The parent keeps working while its children initialise and sign. */
    int left = running, signed_meanwhile = 0;
    int done[MAX_CHILDREN] = {0};
    while (left > 0) {
        if (signed_meanwhile < 200 && sign_and_verify(s, priv, pub)) signed_meanwhile++;
        else if (signed_meanwhile >= 200 || failures) usleep(50000);
        for (int i = 0; i < running; i++) {
            if (!done[i] && reaped(pids[i], i, 0)) {
                done[i] = 1;
                left--;
            }
        }
    }
    printf("parent signed %d while children ran\n", signed_meanwhile);
    sign_and_verify(s, priv, pub);
    CK_RV rv = f->C_Finalize(NULL);
    printf("finalize 0x%lx\n", (unsigned long) rv);
    if (rv != CKR_OK) fail("C_Finalize", rv);
    fflush(stdout);
    return failures == 0 ? 0 : 1;
}
