/*
 * Hostile input through the C ABI, as a C consumer calls the module: every function of the PKCS#11 3.0
 * list (from C_GetInterface) is called before C_Initialize, after C_Finalize, with invalid slot ids,
 * with a closed session's handle and with NULL for each required pointer; hostile_cases.c adds the
 * targeted cases. Each call's CK_RV must be one the base specification lists for that case.
 * One line per check; exit status = number of failures (a crash or a hang also fails the run).
 * Usage: hostile MODULE TOKEN_LABEL USER_PIN   (HOSTILE_SOFTHSM=1 when the module is SoftHSMv2)
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hostile.h"

static unsigned watchdog_seconds = 60;    /* HOSTILE_WATCHDOG_SECONDS overrides */
static int failures, checks;
static const char *current_fn, *current_case;
static int n_functions = N_FUNCTIONS_3_0;   /* fewer when a 2.40-only module is swept */

static const struct { CK_RV rv; const char *name; } rv_names[] = {
#define R(x) {x, #x}
    R(CKR_OK), R(CKR_HOST_MEMORY), R(CKR_SLOT_ID_INVALID), R(CKR_GENERAL_ERROR), R(CKR_FUNCTION_FAILED),
    R(CKR_ARGUMENTS_BAD), R(CKR_ATTRIBUTE_READ_ONLY), R(CKR_ATTRIBUTE_SENSITIVE), R(CKR_ATTRIBUTE_TYPE_INVALID),
    R(CKR_ATTRIBUTE_VALUE_INVALID), R(CKR_DATA_LEN_RANGE), R(CKR_FUNCTION_NOT_PARALLEL),
    R(CKR_FUNCTION_NOT_SUPPORTED), R(CKR_KEY_HANDLE_INVALID), R(CKR_KEY_TYPE_INCONSISTENT),
    R(CKR_KEY_FUNCTION_NOT_PERMITTED),
    R(CKR_MECHANISM_INVALID), R(CKR_MECHANISM_PARAM_INVALID), R(CKR_OBJECT_HANDLE_INVALID),
    R(CKR_OPERATION_ACTIVE), R(CKR_OPERATION_NOT_INITIALIZED), R(CKR_PIN_INCORRECT), R(CKR_PIN_LEN_RANGE),
    R(CKR_SESSION_HANDLE_INVALID), R(CKR_SESSION_EXISTS), R(CKR_SESSION_PARALLEL_NOT_SUPPORTED),
    R(CKR_TEMPLATE_INCOMPLETE), R(CKR_TEMPLATE_INCONSISTENT), R(CKR_USER_ALREADY_LOGGED_IN),
    R(CKR_USER_NOT_LOGGED_IN), R(CKR_USER_TYPE_INVALID), R(CKR_BUFFER_TOO_SMALL), R(CKR_SAVED_STATE_INVALID),
    R(CKR_STATE_UNSAVEABLE), R(CKR_CRYPTOKI_NOT_INITIALIZED), R(CKR_CRYPTOKI_ALREADY_INITIALIZED),
    R(CKR_NO_EVENT), R(CKR_RANDOM_SEED_NOT_SUPPORTED), R(CKR_ENCRYPTED_DATA_LEN_RANGE),
    R(CKR_OPERATION_CANCEL_FAILED),
#undef R
};

static const char *rv_name(CK_RV rv) {
    static char hex[32];
    for (size_t i = 0; i < sizeof rv_names / sizeof rv_names[0]; i++)
        if (rv_names[i].rv == rv) return rv_names[i].name;
    snprintf(hex, sizeof hex, "0x%lx", rv);
    return hex;
}

static void say(const char *text) {
    ssize_t ignored = write(1, text, strlen(text));
    (void)ignored;
}

/* Only async-signal-safe calls here: the hung call still holds whatever locks it took. */
static void on_alarm(int sig) {
    (void)sig;
    say("HANG: ");
    say(current_fn);
    say(" | ");
    say(current_case);
    say(" | did not return within the watchdog time\n");
    _exit(100);
}

void arm(const char *fn, const char *what) { current_fn = fn; current_case = what; alarm(watchdog_seconds); }
CK_RV disarm(CK_RV rv) { alarm(0); return rv; }

static void line(const char *fn, const char *what, const char *result, const char *verdict) {
    printf("%-24s | %-58s | %-34s | %s\n", fn, what, result, verdict);
}

static int allowed_rv(CK_RV rv, const CK_RV *allowed) {
    int ok = 0;
    for (; *allowed != (CK_RV)-1; allowed++) ok |= rv == *allowed;
    return ok;
}

void check_rv_dev(const hostile *h, const char *softhsm_reason, const char *fn, const char *what, CK_RV rv,
                  const CK_RV *allowed) {
    if (h->softhsm && softhsm_reason && !allowed_rv(rv, allowed)) {
        char why[96];
        snprintf(why, sizeof why, "%s: %s", rv_name(rv), softhsm_reason);
        skip(fn, what, why);
    } else {
        check_rv(fn, what, rv, allowed);
    }
}

void check_rv(const char *fn, const char *what, CK_RV rv, const CK_RV *allowed) {
    int ok = allowed_rv(rv, allowed);
    checks++;
    if (!ok) failures++;
    line(fn, what, rv_name(rv), ok ? "PASS" : "FAIL");
}

void check_true(const char *fn, const char *what, int ok, const char *detail) {
    checks++;
    if (!ok) failures++;
    line(fn, what, detail, ok ? "PASS" : "FAIL");
}

void skip(const char *fn, const char *what, const char *reason) { line(fn, what, reason, "SKIP"); }

/*
 * Every 3.0 function by its index in CK_FUNCTION_LIST_3_0 and the kind of each argument:
 *  l slot id   s session   o data object   k key   M mechanism type   t user type   u length (16)
 *  c template count   F open-session flags   w wait flags   0 zero flags
 *  p required pointer   m mechanism   a template   b output buffer that may be NULL (a length query)
 *  n pointer that may be NULL (passed NULL)
 * alt: one more CK_RV the spec allows when a NULL pointer meets another check first (no operation
 * active, a mechanism the scratch mechanism leaves unusable ...). NOSWEEP: only the targeted cases call it.
 * CANCELS: an Init function; 3.0 says it "can be called with pMechanism set to NULL_PTR to terminate an
 * active ... operation", so a NULL mechanism answers CKR_OK (nothing to cancel) and never starts one.
 */
enum { NOINIT_OK = 1, NOSWEEP = 2, LEGACY = 4, CANCELS = 8 };
typedef struct { int idx; const char *name; const char *sig; CK_RV alt; int flags; } fn_info;
#define ONI CKR_OPERATION_NOT_INITIALIZED
#define MI CKR_MECHANISM_INVALID
static const fn_info fns[] = {
    {0, "C_Initialize", "n", 0, NOSWEEP}, {1, "C_Finalize", "n", 0, 0}, {2, "C_GetInfo", "p", 0, 0},
    {3, "C_GetFunctionList", "p", 0, NOINIT_OK}, {4, "C_GetSlotList", "ubp", 0, 0},
    {5, "C_GetSlotInfo", "lp", 0, 0}, {6, "C_GetTokenInfo", "lp", 0, 0}, {7, "C_GetMechanismList", "lbp", 0, 0},
    {8, "C_GetMechanismInfo", "lMp", 0, 0}, {9, "C_InitToken", "lpup", 0, NOSWEEP}, {10, "C_InitPIN", "spu", 0, NOSWEEP},
    {11, "C_SetPIN", "spupu", 0, NOSWEEP}, {12, "C_OpenSession", "lFnnp", 0, 0}, {13, "C_CloseSession", "s", 0, 0},
    {14, "C_CloseAllSessions", "l", 0, 0}, {15, "C_GetSessionInfo", "sp", 0, 0},
    {16, "C_GetOperationState", "sbp", 0, 0}, {17, "C_SetOperationState", "spukk", CKR_SAVED_STATE_INVALID, 0},
    {18, "C_Login", "stpu", 0, NOSWEEP}, {19, "C_Logout", "s", 0, 0}, {20, "C_CreateObject", "sacp", 0, 0},
    {21, "C_CopyObject", "soacp", CKR_ATTRIBUTE_READ_ONLY, 0}, {22, "C_DestroyObject", "so", 0, 0},
    {23, "C_GetObjectSize", "sop", 0, 0}, {24, "C_GetAttributeValue", "soac", 0, 0},
    {25, "C_SetAttributeValue", "soac", 0, 0}, {26, "C_FindObjectsInit", "sac", 0, 0},
    {27, "C_FindObjects", "spup", ONI, 0}, {28, "C_FindObjectsFinal", "s", 0, 0},
    {29, "C_EncryptInit", "smk", MI, CANCELS}, {30, "C_Encrypt", "spubp", ONI, 0}, {31, "C_EncryptUpdate", "spubp", ONI, 0},
    {32, "C_EncryptFinal", "sbp", ONI, 0}, {33, "C_DecryptInit", "smk", MI, CANCELS}, {34, "C_Decrypt", "spubp", ONI, 0},
    {35, "C_DecryptUpdate", "spubp", ONI, 0}, {36, "C_DecryptFinal", "sbp", ONI, 0}, {37, "C_DigestInit", "sm", MI, CANCELS},
    {38, "C_Digest", "spubp", ONI, 0}, {39, "C_DigestUpdate", "spu", ONI, 0}, {40, "C_DigestKey", "sk", 0, 0},
    {41, "C_DigestFinal", "sbp", ONI, 0}, {42, "C_SignInit", "smk", MI, CANCELS}, {43, "C_Sign", "spubp", ONI, 0},
    {44, "C_SignUpdate", "spu", ONI, 0}, {45, "C_SignFinal", "sbp", ONI, 0}, {46, "C_SignRecoverInit", "smk", MI, CANCELS},
    {47, "C_SignRecover", "spubp", ONI, 0}, {48, "C_VerifyInit", "smk", MI, CANCELS}, {49, "C_Verify", "spupu", ONI, 0},
    {50, "C_VerifyUpdate", "spu", ONI, 0}, {51, "C_VerifyFinal", "spu", ONI, 0},
    {52, "C_VerifyRecoverInit", "smk", MI, CANCELS}, {53, "C_VerifyRecover", "spubp", ONI, 0},
    {54, "C_DigestEncryptUpdate", "spubp", ONI, 0}, {55, "C_DecryptDigestUpdate", "spubp", ONI, 0},
    {56, "C_SignEncryptUpdate", "spubp", ONI, 0}, {57, "C_DecryptVerifyUpdate", "spubp", ONI, 0},
    {58, "C_GenerateKey", "smacp", MI, 0}, {59, "C_GenerateKeyPair", "smacacpp", MI, 0},
    {60, "C_WrapKey", "smkkbp", MI, 0}, {61, "C_UnwrapKey", "smkpuacp", MI, 0}, {62, "C_DeriveKey", "smkacp", MI, 0},
    {63, "C_SeedRandom", "spu", CKR_RANDOM_SEED_NOT_SUPPORTED, 0}, {64, "C_GenerateRandom", "spu", 0, 0},
    {65, "C_GetFunctionStatus", "s", 0, LEGACY}, {66, "C_CancelFunction", "s", 0, LEGACY},
    {67, "C_WaitForSlotEvent", "wpn", CKR_NO_EVENT, 0}, {68, "C_GetInterfaceList", "bp", 0, NOINIT_OK},
    {69, "C_GetInterface", "nnp0", 0, NOINIT_OK}, {70, "C_LoginUser", "stpupu", 0, NOSWEEP},
    {71, "C_SessionCancel", "s0", 0, 0}, {72, "C_MessageEncryptInit", "smk", MI, CANCELS},
    {73, "C_EncryptMessage", "spupupubp", ONI, 0}, {74, "C_EncryptMessageBegin", "spupu", ONI, 0},
    {75, "C_EncryptMessageNext", "spupubp0", ONI, 0}, {76, "C_MessageEncryptFinal", "s", 0, 0},
    {77, "C_MessageDecryptInit", "smk", MI, CANCELS}, {78, "C_DecryptMessage", "spupupubp", ONI, 0},
    {79, "C_DecryptMessageBegin", "spupu", ONI, 0}, {80, "C_DecryptMessageNext", "spupubp0", ONI, 0},
    {81, "C_MessageDecryptFinal", "s", 0, 0}, {82, "C_MessageSignInit", "smk", MI, CANCELS},
    {83, "C_SignMessage", "spupubp", ONI, 0}, {84, "C_SignMessageBegin", "spu", ONI, 0},
    {85, "C_SignMessageNext", "spupubb", ONI, 0}, {86, "C_MessageSignFinal", "s", 0, 0},
    {87, "C_MessageVerifyInit", "smk", MI, CANCELS}, {88, "C_VerifyMessage", "spupupu", ONI, 0},
    {89, "C_VerifyMessageBegin", "spu", ONI, 0}, {90, "C_VerifyMessageNext", "spupupu", ONI, 0},
    {91, "C_MessageVerifyFinal", "s", 0, 0},
};
#define N_FNS (sizeof fns / sizeof fns[0])

/* Every argument fits a CK_ULONG register slot on LP64, so one call shape reaches every function. */
typedef CK_RV (*any_fn)(CK_ULONG, CK_ULONG, CK_ULONG, CK_ULONG, CK_ULONG, CK_ULONG, CK_ULONG, CK_ULONG,
                        CK_ULONG, CK_ULONG);

typedef struct { CK_SLOT_ID slot; CK_SESSION_HANDLE s; CK_OBJECT_HANDLE obj, key; int null_arg; } arg_values;

static CK_BYTE scratch[10][4096];           /* zeroed buffers for pointer arguments; one per position */
static CK_OBJECT_CLASS data_class = CKO_DATA;
static CK_BBOOL no = CK_FALSE;
static CK_ATTRIBUTE data_template[2];
static CK_MECHANISM scratch_mech = {CKM_AES_ECB, NULL, 0};

static CK_ULONG arg_value(char kind, int pos, const arg_values *v) {
    if (pos == v->null_arg) return 0;
    switch (kind) {
    case 'l': return v->slot;
    case 's': return v->s;
    case 'o': return v->obj;
    case 'k': return v->key;
    case 'M': return CKM_SHA256;
    case 't': return CKU_USER;
    case 'u': return 16;
    case 'c': return 2;
    case 'F': return CKF_SERIAL_SESSION;
    case 'w': return CKF_DONT_BLOCK;
    case '0': case 'n': return 0;
    case 'm': return (CK_ULONG)&scratch_mech;
    case 'a': return (CK_ULONG)data_template;
    default: memset(scratch[pos], 0, sizeof scratch[pos]); return (CK_ULONG)scratch[pos];
    }
}

static CK_RV call(const hostile *h, const fn_info *fi, const arg_values *v) {
    void **entry = fi->idx < 68 ? (void **)&h->f->C_Initialize + fi->idx
                                : &h->list->fn3[fi->idx - 68];
    CK_ULONG a[10] = {0};
    for (int i = 0; fi->sig[i]; i++) a[i] = arg_value(fi->sig[i], i, v);
    return ((any_fn)*entry)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
}

/* Calls every function that takes an argument of `kind` (or all, kind 0) and expects `want`. */
static void sweep(const hostile *h, const char *what, char kind, CK_RV want, const arg_values *v) {
    for (size_t i = 0; i < N_FNS; i++) {
        const fn_info *fi = &fns[i];
        if ((fi->flags & NOSWEEP) || fi->idx >= n_functions) continue;
        if (kind ? !strchr(fi->sig, kind) : (fi->flags & NOINIT_OK) != 0) continue;
        CK_RV legacy = fi->flags & LEGACY ? CKR_FUNCTION_NOT_PARALLEL : want;
        EXPECT(fi->name, what, call(h, fi, v), want, legacy);
    }
}

/* NULL for each required pointer in turn, with a live session: CKR_ARGUMENTS_BAD (or the one alt). */
static void null_sweep(const hostile *h) {
    for (size_t i = 0; i < N_FNS; i++) {
        const fn_info *fi = &fns[i];
        if ((fi->flags & NOSWEEP) || fi->idx >= n_functions) continue;
        for (int pos = 0; fi->sig[pos]; pos++) {
            char k = fi->sig[pos];
            if (k != 'p' && k != 'm' && k != 'a' && k != 'b') continue;
            arg_values v = {h->slot, h->s, h->data_obj, h->aes_key, pos};
            char what[64];
            snprintf(what, sizeof what, "NULL argument %d%s", pos + 1, k == 'b' ? " (length query)" : "");
            CK_RV rv;
            arm(fi->name, what);
            rv = disarm(call(h, fi, &v));
            /* A NULL output buffer asks for the length: any answer but a crash is the module's business. */
            if (k == 'b') check_true(fi->name, what, 1, rv_name(rv));
            else if (h->softhsm && rv == CKR_FUNCTION_NOT_SUPPORTED) skip(fi->name, what, "SoftHSMv2 lacks it");
            else if (k == 'm' && (fi->flags & CANCELS))
                check_rv_dev(h, "2.40 had no NULL-mechanism cancel", fi->name, "NULL pMechanism (cancels)", rv,
                             ALLOW(CKR_OK));
            else check_rv(fi->name, what, rv, ALLOW(CKR_ARGUMENTS_BAD, fi->alt ? fi->alt : CKR_ARGUMENTS_BAD));
        }
    }
}

static HOSTILE_FUNCTION_LIST_3_0 *load(const char *module, int softhsm) {
    void *lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen %s: %s\n", module, dlerror()); exit(2); }
    get_interface_fn get = (get_interface_fn)dlsym(lib, "C_GetInterface");
    CK_C_GetFunctionList get_list = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (!get && softhsm && get_list) {
        /* SoftHSMv2 2.6 implements PKCS#11 2.40 only: sweep its 68 functions, skip the 3.0 ones. */
        CK_FUNCTION_LIST *v2 = NULL;
        if (get_list(&v2) != CKR_OK) exit(2);
        n_functions = 68;
        return (HOSTILE_FUNCTION_LIST_3_0 *)v2;
    }
    if (!get) { fprintf(stderr, "no C_GetInterface in %s\n", module); exit(2); }
    CK_VERSION v30 = {3, 0};
    HOSTILE_INTERFACE *iface = NULL;
    CK_RV rv = get((CK_UTF8CHAR *)"PKCS 11", &v30, &iface, 0);
    if (rv != CKR_OK || !iface) { fprintf(stderr, "C_GetInterface PKCS 11 3.0: %s\n", rv_name(rv)); exit(2); }
    return iface->pFunctionList;
}

static CK_SLOT_ID find_slot(CK_FUNCTION_LIST *f, const char *label) {
    CK_SLOT_ID slots[64];
    CK_ULONG n = 64;
    if (f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK) { fprintf(stderr, "C_GetSlotList failed\n"); exit(2); }
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && strncmp((char *)ti.label, label, strlen(label)) == 0
            && (strlen(label) == 32 || ti.label[strlen(label)] == ' '))
            return slots[i];
    }
    fprintf(stderr, "no token labelled %s\n", label);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: hostile MODULE TOKEN_LABEL USER_PIN\n"); return 2; }
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, on_alarm);
    if (getenv("HOSTILE_WATCHDOG_SECONDS")) watchdog_seconds = (unsigned)atoi(getenv("HOSTILE_WATCHDOG_SECONDS"));
    data_template[0] = (CK_ATTRIBUTE){CKA_CLASS, &data_class, sizeof data_class};
    data_template[1] = (CK_ATTRIBUTE){CKA_TOKEN, &no, sizeof no};
    int softhsm = getenv("HOSTILE_SOFTHSM") != NULL;
    hostile h = {.list = load(argv[1], softhsm), .user_pin = argv[3], .softhsm = softhsm};
    h.f = &h.list->v2;
    if (n_functions < N_FUNCTIONS_3_0)
        skip("C_GetInterface", "the 3.0 functions (68..91)", "SoftHSMv2 2.6 has no PKCS#11 3.0 interface");
    else check_true("C_GetInterface", "3.0 list reports version 3.0", h.list->v2.version.major == 3
                    && h.list->v2.version.minor == 0, "version");

    arg_values garbage = {0x5107, 0x5e55, 0x0b1, 0x4e7, -1};
    sweep(&h, "before C_Initialize", 0, CKR_CRYPTOKI_NOT_INITIALIZED, &garbage);

    EXPECT("C_Initialize", "NULL pInitArgs", h.f->C_Initialize(NULL), CKR_OK);
    EXPECT("C_Initialize", "a second time", h.f->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    h.slot = find_slot(h.f, argv[2]);
    arg_values bad_slot = {0x7fff0001, 0, 0, 0, -1};
    sweep(&h, "slot id that names no slot", 'l', CKR_SLOT_ID_INVALID, &bad_slot);

    targeted_cases(&h);      /* opens h.s, logs in, makes data_obj and aes_key */
    null_sweep(&h);

    CK_SESSION_HANDLE closed;
    EXPECT("C_OpenSession", "a session to close", h.f->C_OpenSession(h.slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
           NULL, NULL, &closed), CKR_OK);
    EXPECT("C_CloseSession", "close it", h.f->C_CloseSession(closed), CKR_OK);
    arg_values stale = {h.slot, closed, h.data_obj, h.aes_key, -1};
    sweep(&h, "handle of a closed session", 's', CKR_SESSION_HANDLE_INVALID, &stale);

    EXPECT("C_Finalize", "NULL pReserved", h.f->C_Finalize(NULL), CKR_OK);
    arg_values after = {h.slot, h.s, h.data_obj, h.aes_key, -1};
    sweep(&h, "after C_Finalize", 0, CKR_CRYPTOKI_NOT_INITIALIZED, &after);

    printf("%d checks, %d failed\n", checks, failures);
    return failures > 99 ? 99 : failures;
}
