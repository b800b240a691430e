/*
 * Key generation, wrapping, derivation, encapsulation, random numbers and C_VerifySignatureInit (the
 * bridge's KeyCallbacks, AuthenticatedWrapCallbacks, KemCallbacks, VerifySignatureCallbacks; the Java
 * client's RemoteKeys). Each function checks its C arguments, builds its request in an arena, calls once.
 */
#include "jc_api.h"
#include "functions.h"

/* A derived key whose phKey the node's engine did not hand a handle to. */
#define NOT_SET (~(uint64_t) 0)

CK_RV C_GenerateKey(CK_ULONG h, CK_MECHANISM *pMech, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount, CK_ULONG *phKey) {
    JC_REQUIRE_INIT();
    if (phKey == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__GenerateKey g = JHSM__V1__GENERATE_KEY__INIT;
    jc_arena arena = {0};
    jc_mech m;
    CK_RV rv;
    SET(g, session, h);
    JC_CHECK(jc_mech_template(&arena, pMech, &m, &g.mechanism, pTemplate, ulCount, &g.template_, &g.n_template_));
    jc_put(&req, FN(GENERATE_KEY), &g);
    rv = jc_call_number("C_GenerateKey", &req, phKey);
done:
    return jc_finish(NULL, &arena, rv);
}

CK_RV C_GenerateKeyPair(CK_ULONG h, CK_MECHANISM *pMech, CK_ATTRIBUTE *pPub, CK_ULONG ulPub, CK_ATTRIBUTE *pPriv,
                        CK_ULONG ulPriv, CK_ULONG *phPub, CK_ULONG *phPriv) {
    JC_REQUIRE_INIT();
    if (phPub == NULL || phPriv == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__GenerateKeyPair g = JHSM__V1__GENERATE_KEY_PAIR__INIT;
    jc_arena arena = {0};
    jc_mech m;
    Resp *resp = NULL;
    CK_RV rv;
    SET(g, session, h);
    JC_CHECK(jc_mech_template(&arena, pMech, &m, &g.mechanism, pPub, ulPub, &g.public_template, &g.n_public_template));
    JC_CHECK(jc_template(&arena, pPriv, ulPriv, &g.private_template, &g.n_private_template));
    jc_put(&req, FN(GENERATE_KEY_PAIR), &g);
    rv = jc_call("C_GenerateKeyPair", &req, &resp);
    if (rv == CKR_OK) {
        if (resp->result_case != JHSM__V1__RESPONSE__RESULT_HANDLES || resp->handles == NULL
            || resp->handles->n_handles != 2) {
            rv = jc_bad_answer("C_GenerateKeyPair", "no key pair");
        } else {
            *phPub = resp->handles->handles[0];
            *phPriv = resp->handles->handles[1];
        }
    }
done:
    return jc_finish(resp, &arena, rv);
}

/* C_WrapKey and C_WrapKeyAuthenticated: the two-call protocol, and a cloudhsm token's GCM IV back on CKR_OK. */
static CK_RV wrap(const char *fn, CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hWrapping, CK_ULONG hKey, CK_BYTE *pAad,
                  CK_ULONG ulAad, int authenticated, CK_BYTE *pOut, CK_ULONG *pulOut) {
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__WrapKey w = JHSM__V1__WRAP_KEY__INIT;
    jc_arena arena = {0};
    jc_mech m;
    jc_out out;
    Resp *resp = NULL;
    CK_RV rv;
    SET(w, session, h);
    SET(w, wrapping_key, hWrapping);
    SET(w, key, hKey);
    JC_CHECK(jc_mechanism(&arena, pMech, 0, &m));
    w.mechanism = m.msg;
    JC_CHECK(jc_input(pAad, ulAad, CKR_ARGUMENTS_BAD, &w.associated_data));
    w.has_associated_data = 1;
    JC_CHECK(jc_out_prepare(&out, pOut, pulOut, &w.out));
    jc_put(&req, authenticated ? FN(WRAP_KEY_AUTHENTICATED) : FN(WRAP_KEY), &w);
    rv = jc_call(fn, &req, &resp);
    rv = jc_out_deliver(fn, &out, rv, resp);
    if (rv == CKR_OK) {
        jc_mech_iv_back(&m, resp);
    }
done:
    return jc_finish(resp, &arena, rv);
}

CK_RV C_WrapKey(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hWrapping, CK_ULONG hKey, CK_BYTE *pOut, CK_ULONG *pulOut) {
    JC_REQUIRE_INIT();
    return wrap("C_WrapKey", h, pMech, hWrapping, hKey, NULL, 0, 0, pOut, pulOut);
}

CK_RV C_WrapKeyAuthenticated(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hWrapping, CK_ULONG hKey, CK_BYTE *pAad,
                             CK_ULONG ulAad, CK_BYTE *pOut, CK_ULONG *pulOut) {
    JC_REQUIRE_INIT();
    return wrap("C_WrapKeyAuthenticated", h, pMech, hWrapping, hKey, pAad, ulAad, 1, pOut, pulOut);
}

static CK_RV unwrap(const char *fn, CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hUnwrapping, CK_BYTE *pWrapped,
                    CK_ULONG ulWrapped, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount, CK_BYTE *pAad, CK_ULONG ulAad,
                    int authenticated, CK_ULONG *phKey) {
    if (phKey == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__UnwrapKey u = JHSM__V1__UNWRAP_KEY__INIT;
    jc_arena arena = {0};
    jc_mech m;
    CK_RV rv;
    SET(u, session, h);
    SET(u, unwrapping_key, hUnwrapping);
    JC_CHECK(jc_mechanism(&arena, pMech, 0, &m));
    u.mechanism = m.msg;
    JC_CHECK(jc_input(pWrapped, ulWrapped, CKR_WRAPPED_KEY_LEN_RANGE, &u.wrapped_key));
    JC_CHECK(jc_template(&arena, pTemplate, ulCount, &u.template_, &u.n_template_));
    JC_CHECK(jc_input(pAad, ulAad, CKR_ARGUMENTS_BAD, &u.associated_data));
    u.has_wrapped_key = u.has_associated_data = 1;
    jc_put(&req, authenticated ? FN(UNWRAP_KEY_AUTHENTICATED) : FN(UNWRAP_KEY), &u);
    rv = jc_call_number(fn, &req, phKey);
done:
    return jc_finish(NULL, &arena, rv);
}

CK_RV C_UnwrapKey(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hUnwrapping, CK_BYTE *pWrapped, CK_ULONG ulWrapped,
                  CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount, CK_ULONG *phKey) {
    JC_REQUIRE_INIT();
    return unwrap("C_UnwrapKey", h, pMech, hUnwrapping, pWrapped, ulWrapped, pTemplate, ulCount, NULL, 0, 0, phKey);
}

CK_RV C_UnwrapKeyAuthenticated(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hUnwrapping, CK_BYTE *pWrapped,
                               CK_ULONG ulWrapped, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount, CK_BYTE *pAad,
                               CK_ULONG ulAad, CK_ULONG *phKey) {
    JC_REQUIRE_INIT();
    return unwrap("C_UnwrapKeyAuthenticated", h, pMech, hUnwrapping, pWrapped, ulWrapped, pTemplate, ulCount, pAad,
                  ulAad, 1, phKey);
}

/* Each SP 800-108 additional derived key's handle to its phKey, as the node's engine handed them: all of
 * them on success, on failure only those set (CK_INVALID_HANDLE for the key whose template failed). */
static void hand_over(const jc_mech *m, const Resp *resp) {
    const Jhsm__V1__Handles *hs = resp != NULL && resp->result_case == JHSM__V1__RESPONSE__RESULT_HANDLES
                                      ? resp->handles : NULL;
    for (size_t i = 0; hs != NULL && i < m->n_derived && i + 1 < hs->n_handles; i++) {
        if (hs->handles[i + 1] != NOT_SET) {
            *m->derived[i] = hs->handles[i + 1];
        }
    }
}

/* phKey may be NULL for mechanisms that derive no single key (SSL/TLS key material); the node decides. */
CK_RV C_DeriveKey(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hBase, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount,
                  CK_ULONG *phKey) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__DeriveKey d = JHSM__V1__DERIVE_KEY__INIT;
    jc_arena arena = {0};
    jc_mech m;
    Resp *resp = NULL;
    CK_RV rv;
    SET(d, session, h);
    SET(d, base_key, hBase);
    JC_CHECK(jc_mech_template(&arena, pMech, &m, &d.mechanism, pTemplate, ulCount, &d.template_, &d.n_template_));
    jc_put(&req, FN(DERIVE_KEY), &d);
    rv = jc_call("C_DeriveKey", &req, &resp);
    hand_over(&m, resp);
    if (rv == CKR_OK) {
        if (resp->result_case != JHSM__V1__RESPONSE__RESULT_HANDLES || resp->handles == NULL
            || resp->handles->n_handles < 1) {
            rv = jc_bad_answer("C_DeriveKey", "no derived key");
        } else if (phKey != NULL) {
            *phKey = resp->handles->handles[0];
        }
    }
done:
    return jc_finish(resp, &arena, rv);
}
