/*
 * Sessions, login and PINs (the bridge's SessionCallbacks and SlotTokenCallbacks). net/ places sessions,
 * logs in on every HSM used and keeps the PIN for later logins; here only the C arguments are judged.
 * pApplication and Notify are never called back (PKCS#11 lets a library make no notify calls); whether a
 * Notify was given goes to the node, as CloudHSM's library refuses one.
 */
#include "jc_api.h"
#include "functions.h"

CK_RV C_OpenSession(CK_ULONG slot, CK_ULONG flags, void *pApplication, void *notify, CK_ULONG *phSession) {
    JC_REQUIRE_INIT();
    if (phSession == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__OpenSession o = JHSM__V1__OPEN_SESSION__INIT;
    SET(o, slot, slot);
    SET(o, flags, flags);
    SET(o, notify, notify != NULL);
    jc_put(&req, FN(OPEN_SESSION), &o);
    return jc_call_number("C_OpenSession", &req, phSession);
}

static CK_RV login(const char *fn, CK_ULONG h, CK_ULONG userType, CK_BYTE *pPin, CK_ULONG ulPinLen, CK_BYTE *pUser,
                   CK_ULONG ulUserLen) {
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Login l = JHSM__V1__LOGIN__INIT;
    SET(l, session, h);
    SET(l, user_type, userType);
    CK_RV rv = jc_optional_input(pPin, ulPinLen, &l.has_pin, &l.pin);
    if (rv == CKR_OK && pUser != NULL) {
        rv = jc_input(pUser, ulUserLen, CKR_ARGUMENTS_BAD, &l.username);
        l.has_username = 1;
    }
    if (rv != CKR_OK) {
        return rv;
    }
    jc_put(&req, FN(LOGIN), &l);
    return jc_call_rv(fn, &req);
}

CK_RV C_Login(CK_ULONG h, CK_ULONG userType, CK_BYTE *pPin, CK_ULONG ulPinLen) {
    JC_REQUIRE_INIT();
    return login("C_Login", h, userType, pPin, ulPinLen, NULL, 0);
}

CK_RV C_LoginUser(CK_ULONG h, CK_ULONG userType, CK_BYTE *pPin, CK_ULONG ulPinLen, CK_BYTE *pUser, CK_ULONG ulUserLen) {
    JC_REQUIRE_INIT();
    if (pUser == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    return login("C_LoginUser", h, userType, pPin, ulPinLen, pUser, ulUserLen);
}

CK_RV C_InitPIN(CK_ULONG h, CK_BYTE *pPin, CK_ULONG ulPinLen) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionBytes s = JHSM__V1__SESSION_BYTES__INIT;
    SET(s, session, h);
    CK_RV rv = jc_optional_input(pPin, ulPinLen, &s.has_data, &s.data);
    if (rv != CKR_OK) {
        return rv;
    }
    jc_put(&req, FN(INIT_PIN), &s);
    return jc_call_rv("C_InitPIN", &req);
}

CK_RV C_SetPIN(CK_ULONG h, CK_BYTE *pOld, CK_ULONG ulOld, CK_BYTE *pNew, CK_ULONG ulNew) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SetPin s = JHSM__V1__SET_PIN__INIT;
    SET(s, session, h);
    CK_RV rv = jc_optional_input(pOld, ulOld, &s.has_old_pin, &s.old_pin);
    if (rv == CKR_OK) {
        rv = jc_optional_input(pNew, ulNew, &s.has_new_pin, &s.new_pin);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    jc_put(&req, FN(SET_PIN), &s);
    return jc_call_rv("C_SetPIN", &req);
}

CK_RV C_SetOperationState(CK_ULONG h, CK_BYTE *pState, CK_ULONG ulLen, CK_ULONG hEnc, CK_ULONG hAuth) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SetOperationState s = JHSM__V1__SET_OPERATION_STATE__INIT;
    SET(s, session, h);
    CK_RV rv = jc_input(pState, ulLen, CKR_SAVED_STATE_INVALID, &s.state);
    if (rv != CKR_OK) {
        return rv;
    }
    s.has_state = 1;
    SET(s, encryption_key, hEnc);
    SET(s, authentication_key, hAuth);
    jc_put(&req, FN(SET_OPERATION_STATE), &s);
    return jc_call_rv("C_SetOperationState", &req);
}

static CK_RV session_number(Jhsm__V1__Request__FunctionCase f, CK_ULONG h, CK_ULONG n, Req *req,
                            Jhsm__V1__SessionNumber *s) {
    Jhsm__V1__SessionNumber init = JHSM__V1__SESSION_NUMBER__INIT;
    *s = init;
    SET(*s, session, h);
    SET(*s, number, n);
    jc_put(req, f, s);
    return CKR_OK;
}

CK_RV C_SessionCancel(CK_ULONG h, CK_ULONG flags) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionNumber s;
    session_number(FN(SESSION_CANCEL), h, flags, &req, &s);
    return jc_call_rv("C_SessionCancel", &req);
}

CK_RV C_GetSessionValidationFlags(CK_ULONG h, CK_ULONG type, CK_ULONG *pFlags) {
    JC_REQUIRE_INIT();
    if (pFlags == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionNumber s;
    session_number(FN(GET_SESSION_VALIDATION_FLAGS), h, type, &req, &s);
    return jc_call_number("C_GetSessionValidationFlags", &req, pFlags);
}
