/*
 * nc_cluster: one PKCS#11 application of an HSM cluster through dist/libjhsm-client.so (JHSM_CONF names the
 * cluster), for NativeClientClusterTest. One step per stdin line, its result line, then "ready":
 *   open N       -> "open 0x<rv> N"              N more sessions (CKF_RW_SESSION | CKF_SERIAL_SESSION)
 *   login        -> "login 0x<rv>"               C_Login(CKU_USER, PIN) on the first session
 *   setpin OLD NEW -> "setpin 0x<rv>"            C_SetPIN on the first session; later logins use NEW
 *   keys LABEL   -> "keys 0x<rv>"                an EC P-256 token key pair LABEL made on the first session
 *   sign         -> "sign ok=N failed=M rvs=0x..,0x.."  C_SignInit + C_Sign with that private key on every session
 *   private      -> "private ok=N failed=M rvs=…"  a private session EC pair on every session (needs the login
 *                   on each session's HSM)
 *   random N     -> "random ok=N failed=M rvs=…"   N C_GenerateRandom calls on the first session
 *   close        -> "close 0x<rv>"               C_CloseAllSessions
 *   quit         -> "quit 0x<rv>"                C_Finalize, then exit
 * alarm() bounds the whole run. Usage: nc_cluster MODULE PIN
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

#define MAX_SESSIONS 64

static CK_FUNCTION_LIST *f;
static CK_SLOT_ID slot;
static CK_SESSION_HANDLE sessions[MAX_SESSIONS];
static int n_sessions;
static CK_OBJECT_HANDLE private_key;
static const char *pin;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

static CK_RV make_pair(CK_SESSION_HANDLE s, CK_BBOOL token, const char *label, CK_OBJECT_HANDLE *priv) {
    CK_MECHANISM mech = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG llen = label ? strlen(label) : 0;
    CK_ATTRIBUTE pub[] = {{CKA_TOKEN, &token, 1}, {CKA_VERIFY, &yes, 1}, {CKA_EC_PARAMS, (void *) p256, sizeof p256},
                          {CKA_LABEL, (void *) label, llen}};
    CK_ATTRIBUTE prv[] = {{CKA_TOKEN, &token, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1},
                          {CKA_SIGN, &yes, 1}, {CKA_EXTRACTABLE, &no, 1}, {CKA_LABEL, (void *) label, llen}};
    CK_OBJECT_HANDLE pubh;
    return f->C_GenerateKeyPair(s, &mech, pub, label ? 4 : 3, prv, label ? 6 : 5, &pubh, priv);
}

static CK_RV sign_with(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key) {
    CK_MECHANISM mech = {CKM_ECDSA, NULL, 0};
    CK_BYTE digest[32], sig[128];
    CK_ULONG len = sizeof sig;
    memset(digest, 7, sizeof digest);
    CK_RV rv = f->C_SignInit(s, &mech, key);
    return rv != CKR_OK ? rv : f->C_Sign(s, digest, sizeof digest, sig, &len);
}

/* "WHAT ok=N failed=M rvs=0x0,0x32" for one CK_RV per session (or per call). */
static void report(const char *what, const CK_RV *rvs, int n) {
    int ok = 0;
    for (int i = 0; i < n; i++) ok += rvs[i] == CKR_OK;
    printf("%s ok=%d failed=%d rvs=", what, ok, n - ok);
    for (int i = 0; i < n; i++) printf("%s0x%lx", i ? "," : "", rvs[i]);
    printf("\n");
}

static void step(char *line) {
    char arg[256] = "", arg2[256] = "";
    CK_RV rvs[1024];
    if (sscanf(line, "open %255s", arg) == 1) {
        int want = atoi(arg);
        CK_RV rv = CKR_OK;
        for (int i = 0; i < want && n_sessions < MAX_SESSIONS && rv == CKR_OK; i++) {
            rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &sessions[n_sessions]);
            if (rv == CKR_OK) n_sessions++;
        }
        printf("open 0x%lx %d\n", rv, n_sessions);
    } else if (strcmp(line, "login") == 0) {
        printf("login 0x%lx\n", f->C_Login(sessions[0], CKU_USER, (CK_UTF8CHAR *) pin, strlen(pin)));
    } else if (sscanf(line, "setpin %255s %255s", arg, arg2) == 2) {
        printf("setpin 0x%lx\n", f->C_SetPIN(sessions[0], (CK_UTF8CHAR *) arg, strlen(arg), (CK_UTF8CHAR *) arg2,
                                              strlen(arg2)));
    } else if (sscanf(line, "keys %255s", arg) == 1) {
        printf("keys 0x%lx\n", make_pair(sessions[0], CK_TRUE, arg, &private_key));
    } else if (strcmp(line, "sign") == 0) {
        for (int i = 0; i < n_sessions; i++) rvs[i] = sign_with(sessions[i], private_key);
        report("sign", rvs, n_sessions);
    } else if (strcmp(line, "private") == 0) {
        for (int i = 0; i < n_sessions; i++) {
            CK_OBJECT_HANDLE k;
            rvs[i] = make_pair(sessions[i], CK_FALSE, NULL, &k);
            if (rvs[i] == CKR_OK) rvs[i] = sign_with(sessions[i], k);
        }
        report("private", rvs, n_sessions);
    } else if (sscanf(line, "random %255s", arg) == 1) {
        int n = atoi(arg) > 1024 ? 1024 : atoi(arg);
        for (int i = 0; i < n; i++) {
            CK_BYTE buf[16];
            rvs[i] = f->C_GenerateRandom(sessions[0], buf, sizeof buf);
        }
        report("random", rvs, n);
    } else if (strcmp(line, "close") == 0) {
        CK_RV rv = f->C_CloseAllSessions(slot);
        if (rv == CKR_OK) n_sessions = 0;
        printf("close 0x%lx\n", rv);
    } else if (strcmp(line, "quit") == 0) {
        printf("quit 0x%lx\n", f->C_Finalize(NULL));
        fflush(stdout);
        exit(0);
    } else {
        printf("unknown step %s\n", line);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: nc_cluster MODULE PIN\n");
        return 2;
    }
    alarm(600);
    pin = argv[2];
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    CK_RV (*get)(CK_FUNCTION_LIST **) = (CK_RV(*)(CK_FUNCTION_LIST **)) dlsym(lib, "C_GetFunctionList");
    CK_C_INITIALIZE_ARGS args = {0};
    args.flags = CKF_OS_LOCKING_OK;
    CK_RV rv = get(&f);
    if (rv == CKR_OK) rv = f->C_Initialize(&args);
    CK_ULONG n = 1;
    if (rv == CKR_OK) rv = f->C_GetSlotList(CK_TRUE, &slot, &n);
    printf("init 0x%lx\nready\n", rv);
    fflush(stdout);
    if (rv != CKR_OK) return 1;
    char line[512];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        step(line);
        printf("ready\n");
        fflush(stdout);
    }
    f->C_Finalize(NULL);
    return 0;
}
