/*
 * What hostile.c (the harness and the generic sweeps over every function) and hostile_cases.c (the
 * targeted cases) share. Written against p11-kit's PKCS#11 2.40 header plus the few 3.0 additions it lacks.
 */
#ifndef HOSTILE_H
#define HOSTILE_H
#include <p11-kit/pkcs11.h>

/* PKCS#11 3.0 section 3.6: one interface; the 3.0 function list is the 2.40 one plus 24 entries. */
typedef struct { CK_UTF8CHAR *pInterfaceName; void *pFunctionList; CK_FLAGS flags; } HOSTILE_INTERFACE;
typedef CK_RV (*get_interface_fn)(CK_UTF8CHAR *, CK_VERSION *, HOSTILE_INTERFACE **, CK_FLAGS);
typedef struct { CK_FUNCTION_LIST v2; void *fn3[24]; } HOSTILE_FUNCTION_LIST_3_0;

#define N_FUNCTIONS_3_0 92
#ifndef CKR_OPERATION_CANCEL_FAILED
#define CKR_OPERATION_CANCEL_FAILED 0x202UL
#endif

/* Everything the cases need: the 3.0 list (also as an array of entry points) and fixtures. */
typedef struct {
    HOSTILE_FUNCTION_LIST_3_0 *list;
    CK_FUNCTION_LIST *f;                 /* the 2.40 prefix, typed */
    CK_SLOT_ID slot;
    const char *user_pin;
    CK_SESSION_HANDLE s;                 /* open R/W session, user logged in once the login cases ran */
    CK_OBJECT_HANDLE data_obj, aes_key;  /* a session data object, a sensitive session AES-256 key */
    int softhsm;                         /* the module is SoftHSMv2: its known deviations are skipped */
} hostile;

/*
 * One check: rv must be one of the allowed values (a 0-terminated list; CKR_OK is never allowed
 * implicitly). Prints "function | case | rv name | PASS/FAIL" and counts failures.
 */
void check_rv(const char *fn, const char *what, CK_RV rv, const CK_RV *allowed);
#define ALLOW(...) ((const CK_RV[]){__VA_ARGS__, (CK_RV)-1})
#define EXPECT(fn, what, call, ...) check_rv(fn, what, (arm(fn, what), disarm(call)), ALLOW(__VA_ARGS__))
/*
 * As check_rv, but when the module is SoftHSMv2 and rv is not allowed, the line is a SKIP naming
 * `softhsm_reason` (a deviation of SoftHSMv2 2.6, which predates PKCS#11 3.0), not a failure.
 */
void check_rv_dev(const hostile *h, const char *softhsm_reason, const char *fn, const char *what, CK_RV rv,
                  const CK_RV *allowed);
#define EXPECT_DEV(h, reason, fn, what, call, ...) \
    check_rv_dev(h, reason, fn, what, (arm(fn, what), disarm(call)), ALLOW(__VA_ARGS__))
/* A call that crashes SoftHSMv2 2.6 is not made there: SKIP with the reason. */
#define EXPECT_UNLESS_SOFTHSM(h, reason, fn, what, call, ...) \
    do { if ((h)->softhsm) skip(fn, what, reason); else EXPECT(fn, what, call, __VA_ARGS__); } while (0)
/* A boolean property of what the call wrote back (lengths, handles). */
void check_true(const char *fn, const char *what, int ok, const char *detail);
/* A check the module under test is known to fail for a documented reason: printed, not counted. */
void skip(const char *fn, const char *what, const char *reason);

/* Watchdog: arm() starts a timer naming the call; a call that does not return in time ends the run. */
void arm(const char *fn, const char *what);
CK_RV disarm(CK_RV rv);

void targeted_cases(hostile *h);
#endif
