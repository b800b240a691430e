/* Object management and search (the bridge's ObjectCallbacks); C_GetAttributeValue is in template.c. */
#include <limits.h>
#include "jc_api.h"
#include "functions.h"

/* CreateObject, CopyObject, SetAttributeValue and FindObjectsInit: a template, and maybe a new handle. */
typedef struct {
    Jhsm__V1__Attribute ***list;
    size_t *n;
} template_slot;

static CK_RV with_template(const char *fn, Req *req, CK_ATTRIBUTE *t, CK_ULONG count, template_slot slot, CK_ULONG *out) {
    jc_arena arena = {0};
    CK_RV rv = jc_template(&arena, t, count, slot.list, slot.n);
    if (rv == CKR_OK) {
        rv = out == NULL ? jc_call_rv(fn, req) : jc_call_number(fn, req, out);
    }
    jc_arena_free(&arena);
    return rv;
}

CK_RV C_CreateObject(CK_ULONG h, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount, CK_ULONG *phObject) {
    JC_REQUIRE_INIT();
    if (phObject == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__CreateObject c = JHSM__V1__CREATE_OBJECT__INIT;
    SET(c, session, h);
    jc_put(&req, FN(CREATE_OBJECT), &c);
    return with_template("C_CreateObject", &req, pTemplate, ulCount, (template_slot){&c.template_, &c.n_template_}, phObject);
}

CK_RV C_CopyObject(CK_ULONG h, CK_ULONG hObject, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount, CK_ULONG *phNew) {
    JC_REQUIRE_INIT();
    if (phNew == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__CopyObject c = JHSM__V1__COPY_OBJECT__INIT;
    SET(c, session, h);
    SET(c, object, hObject);
    jc_put(&req, FN(COPY_OBJECT), &c);
    return with_template("C_CopyObject", &req, pTemplate, ulCount, (template_slot){&c.template_, &c.n_template_}, phNew);
}

CK_RV C_SetAttributeValue(CK_ULONG h, CK_ULONG hObject, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SetAttributeValue s = JHSM__V1__SET_ATTRIBUTE_VALUE__INIT;
    SET(s, session, h);
    SET(s, object, hObject);
    jc_put(&req, FN(SET_ATTRIBUTE_VALUE), &s);
    return with_template("C_SetAttributeValue", &req, pTemplate, ulCount, (template_slot){&s.template_, &s.n_template_},
                         NULL);
}

CK_RV C_FindObjectsInit(CK_ULONG h, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionTemplate s = JHSM__V1__SESSION_TEMPLATE__INIT;
    SET(s, session, h);
    jc_put(&req, FN(FIND_OBJECTS_INIT), &s);
    return with_template("C_FindObjectsInit", &req, pTemplate, ulCount, (template_slot){&s.template_, &s.n_template_},
                         NULL);
}

CK_RV C_FindObjects(CK_ULONG h, CK_ULONG *phObject, CK_ULONG ulMax, CK_ULONG *pulCount) {
    JC_REQUIRE_INIT();
    if (phObject == NULL || pulCount == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    /* An unsigned maximum beyond int range just means "as many as there are". */
    CK_ULONG max = ulMax > INT_MAX ? INT_MAX : ulMax;
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionNumber s = JHSM__V1__SESSION_NUMBER__INIT;
    SET(s, session, h);
    SET(s, number, max);
    jc_put(&req, FN(FIND_OBJECTS), &s);
    Resp *resp;
    CK_RV rv = jc_call("C_FindObjects", &req, &resp);
    if (rv == CKR_OK) {
        const Jhsm__V1__Handles *found = resp->result_case == JHSM__V1__RESPONSE__RESULT_HANDLES ? resp->handles : NULL;
        size_t n = found == NULL ? 0 : found->n_handles;
        if (n > max) {
            rv = jc_bad_answer("C_FindObjects", "more objects than asked for");
        } else {
            for (size_t i = 0; i < n; i++) {
                phObject[i] = found->handles[i];
            }
            *pulCount = n;
        }
    }
    return jc_finish(resp, NULL, rv);
}

CK_RV C_GetObjectSize(CK_ULONG h, CK_ULONG hObject, CK_ULONG *pulSize) {
    JC_REQUIRE_INIT();
    if (pulSize == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionObject s = JHSM__V1__SESSION_OBJECT__INIT;
    SET(s, session, h);
    SET(s, object, hObject);
    jc_put(&req, FN(GET_OBJECT_SIZE), &s);
    return jc_call_number("C_GetObjectSize", &req, pulSize);
}
