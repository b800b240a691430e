/* C_EncapsulateKey / C_DecapsulateKey (PKCS#11 3.2), C_GenerateRandom and C_VerifySignatureInit. */
#include <string.h>
#include "jc_api.h"
#include "functions.h"

#define RANDOM_PER_CALL (1UL << 20) /* the node's bound per call (hsm-node SlotSessionCalls.MAX_RANDOM) */


/* The ciphertext follows the two-call protocol: a query, or a buffer too small, makes no key. */
CK_RV C_EncapsulateKey(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hPub, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount,
                       CK_BYTE *pCt, CK_ULONG *pulCt, CK_ULONG *phKey) {
    JC_REQUIRE_INIT();
    if (pulCt == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__EncapsulateKey e = JHSM__V1__ENCAPSULATE_KEY__INIT;
    jc_arena arena = {0};
    jc_mech m;
    jc_out out;
    Resp *resp = NULL;
    CK_RV rv;
    SET(e, session, h);
    SET(e, public_key, hPub);
    JC_CHECK(jc_mech_template(&arena, pMech, &m, &e.mechanism, pTemplate, ulCount, &e.template_, &e.n_template_));
    if (pCt != NULL && phKey == NULL) {
        rv = CKR_ARGUMENTS_BAD;
        goto done;
    }
    JC_CHECK(jc_out_prepare(&out, pCt, pulCt, &e.out));
    jc_put(&req, FN(ENCAPSULATE_KEY), &e);
    rv = jc_call("C_EncapsulateKey", &req, &resp);
    rv = jc_out_deliver("C_EncapsulateKey", &out, rv, resp);
    if (rv == CKR_OK && pCt != NULL) {
        *phKey = resp->output->handle;
    }
done:
    return jc_finish(resp, &arena, rv);
}

CK_RV C_DecapsulateKey(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hPriv, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount,
                       CK_BYTE *pCt, CK_ULONG ulCt, CK_ULONG *phKey) {
    JC_REQUIRE_INIT();
    if (phKey == NULL || pCt == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__DecapsulateKey d = JHSM__V1__DECAPSULATE_KEY__INIT;
    jc_arena arena = {0};
    jc_mech m;
    CK_RV rv;
    SET(d, session, h);
    SET(d, private_key, hPriv);
    JC_CHECK(jc_mech_template(&arena, pMech, &m, &d.mechanism, pTemplate, ulCount, &d.template_, &d.n_template_));
    JC_CHECK(jc_input(pCt, ulCt, CKR_WRAPPED_KEY_LEN_RANGE, &d.ciphertext));
    d.has_ciphertext = 1;
    jc_put(&req, FN(DECAPSULATE_KEY), &d);
    rv = jc_call_number("C_DecapsulateKey", &req, phKey);
done:
    return jc_finish(NULL, &arena, rv);
}

/* More than the node returns per call is asked in parts: C_GenerateRandom has no length limit. */
CK_RV C_GenerateRandom(CK_ULONG h, CK_BYTE *pOut, CK_ULONG ulLen) {
    JC_REQUIRE_INIT();
    if (ulLen > JC_MAX_ARRAY || (ulLen > 0 && pOut == NULL)) {
        return CKR_ARGUMENTS_BAD;
    }
    CK_ULONG done = 0;
    do {
        CK_ULONG n = ulLen - done < RANDOM_PER_CALL ? ulLen - done : RANDOM_PER_CALL;
        Req req = JHSM__V1__REQUEST__INIT;
        Jhsm__V1__SessionNumber s = JHSM__V1__SESSION_NUMBER__INIT;
        SET(s, session, h);
        SET(s, number, n);
        jc_put(&req, FN(GENERATE_RANDOM), &s);
        Resp *resp;
        CK_RV rv = jc_call("C_GenerateRandom", &req, &resp);
        if (rv == CKR_OK && (resp->result_case != JHSM__V1__RESPONSE__RESULT_RANDOM || resp->random.len != n)) {
            rv = jc_bad_answer("C_GenerateRandom", "not the random bytes asked for");
        }
        if (rv == CKR_OK && n > 0) {
            memcpy(pOut + done, resp->random.data, n);
        }
        if (resp != NULL) {
            jc_net_free(resp);
        }
        if (rv != CKR_OK) {
            return rv;
        }
        done += n;
    } while (done < ulLen);
    return CKR_OK;
}

/* The signature comes with the Init; a NULL pMechanism ends the active verification (signature unread). */
CK_RV C_VerifySignatureInit(CK_ULONG h, CK_MECHANISM *pMech, CK_ULONG hKey, CK_BYTE *pSig, CK_ULONG ulSig) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__VerifySignatureInit v = JHSM__V1__VERIFY_SIGNATURE_INIT__INIT;
    jc_arena arena = {0};
    jc_mech m;
    CK_RV rv;
    SET(v, session, h);
    SET(v, key, hKey);
    JC_CHECK(jc_mechanism(&arena, pMech, 1, &m));
    v.mechanism = m.msg;
    if (m.msg != NULL) {
        JC_CHECK(jc_input(pSig, ulSig, CKR_ARGUMENTS_BAD, &v.signature));
    }
    v.has_signature = 1;
    jc_put(&req, FN(VERIFY_SIGNATURE_INIT), &v);
    rv = jc_call_rv("C_VerifySignatureInit", &req);
done:
    return jc_finish(NULL, &arena, rv);
}
