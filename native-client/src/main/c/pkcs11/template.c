/*
 * CK_ATTRIBUTE arrays into the protocol's Attribute/Template (the bridge's TemplateCodec), and
 * C_GetAttributeValue's answer back into the caller's array (AttributeValueWriter, PKCS#11 3.0 5.7).
 */
#include <stdlib.h>
#include <string.h>
#include "jc_api.h"
#include "functions.h"

/* More attributes than any object type has, by far; a bigger count is a garbage argument. */
#define MAX_COUNT (1UL << 16)

static int is_template_type(CK_ATTRIBUTE_TYPE t) {
    return t == CKA_WRAP_TEMPLATE || t == CKA_UNWRAP_TEMPLATE || t == CKA_DERIVE_TEMPLATE
           || t == CKA_ENCAPSULATE_TEMPLATE || t == CKA_DECAPSULATE_TEMPLATE;
}

static CK_RV count_ok(const CK_ATTRIBUTE *t, CK_ULONG count) {
    return (count != 0 && t == NULL) || count > MAX_COUNT ? CKR_ARGUMENTS_BAD : CKR_OK;
}

/* One level of nesting: PKCS#11 defines no deeper attribute arrays. */
static CK_RV encode(jc_arena *a, const CK_ATTRIBUTE *t, CK_ULONG count, int nested_ok, Jhsm__V1__Attribute ***out,
                    size_t *n) {
    CK_RV rv = count_ok(t, count);
    if (rv != CKR_OK) {
        return rv;
    }
    Jhsm__V1__Attribute **list = count == 0 ? NULL : jc_alloc(a, count * sizeof(*list));
    Jhsm__V1__Attribute *items = count == 0 ? NULL : jc_alloc(a, count * sizeof(*items));
    if (count != 0 && (list == NULL || items == NULL)) {
        return CKR_HOST_MEMORY;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        Jhsm__V1__Attribute init = JHSM__V1__ATTRIBUTE__INIT;
        Jhsm__V1__Attribute *x = &items[i];
        *x = init;
        list[i] = x;
        SET(*x, type, t[i].type);
        if (t[i].pValue == NULL && t[i].ulValueLen != 0) {
            return CKR_ARGUMENTS_BAD;
        }
        if (is_template_type(t[i].type)) {
            if (!nested_ok || t[i].ulValueLen % sizeof(CK_ATTRIBUTE) != 0) {
                return CKR_ATTRIBUTE_VALUE_INVALID;
            }
            Jhsm__V1__Template init_t = JHSM__V1__TEMPLATE__INIT;
            Jhsm__V1__Template *nested = jc_alloc(a, sizeof(*nested));
            if (nested == NULL) {
                return CKR_HOST_MEMORY;
            }
            *nested = init_t;
            rv = encode(a, t[i].pValue, t[i].ulValueLen / sizeof(CK_ATTRIBUTE), 0, &nested->attributes,
                        &nested->n_attributes);
            if (rv != CKR_OK) {
                return rv;
            }
            x->content_case = JHSM__V1__ATTRIBUTE__CONTENT_TEMPLATE;
            x->template_ = nested;
        } else {
            rv = jc_input(t[i].pValue, t[i].ulValueLen, CKR_ARGUMENTS_BAD, &x->value);
            if (rv != CKR_OK) {
                return rv;
            }
            x->content_case = JHSM__V1__ATTRIBUTE__CONTENT_VALUE;
        }
    }
    *out = list;
    *n = count;
    return CKR_OK;
}

CK_RV jc_template(jc_arena *a, const CK_ATTRIBUTE *t, CK_ULONG count, Jhsm__V1__Attribute ***out, size_t *n) {
    return encode(a, t, count, 1, out, n);
}

/* A plain value into one CK_ATTRIBUTE: pValue NULL asks the length; too small is CK_UNAVAILABLE_INFORMATION. */
static CK_RV write_value(CK_ATTRIBUTE *attr, const ProtobufCBinaryData *v) {
    if (attr->pValue != NULL) {
        if (attr->ulValueLen < v->len) {
            attr->ulValueLen = CK_UNAVAILABLE_INFORMATION;
            return CKR_BUFFER_TOO_SMALL;
        }
        if (v->len > 0) {
            memcpy(attr->pValue, v->data, v->len);
        }
    }
    attr->ulValueLen = v->len;
    return CKR_OK;
}

/* An attribute array into the caller's nested CK_ATTRIBUTE array, entry by entry with the same rules. */
static CK_RV write_array(CK_ATTRIBUTE *attr, const Jhsm__V1__Template *t) {
    size_t n = t == NULL ? 0 : t->n_attributes;
    CK_ULONG needed = n * sizeof(CK_ATTRIBUTE);
    if (attr->pValue == NULL) {
        attr->ulValueLen = needed;
        return CKR_OK;
    }
    if (attr->ulValueLen < needed) {
        attr->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    CK_ATTRIBUTE *nested = attr->pValue;
    CK_RV rv = CKR_OK;
    for (size_t i = 0; i < n; i++) {
        const Jhsm__V1__Attribute *a = t->attributes[i];
        if (a->content_case == JHSM__V1__ATTRIBUTE__CONTENT_TEMPLATE) {
            return CKR_GENERAL_ERROR; /* nested attribute arrays are not representable */
        }
        ProtobufCBinaryData empty = {0, NULL};
        nested[i].type = a->type;
        CK_RV one = write_value(&nested[i], a->content_case == JHSM__V1__ATTRIBUTE__CONTENT_VALUE ? &a->value : &empty);
        rv = rv == CKR_OK ? one : rv;
    }
    attr->ulValueLen = needed;
    return rv;
}

static CK_RV write_reading(CK_ATTRIBUTE *attr, const Jhsm__V1__AttributeValue *v) {
    if (v->rv != CKR_OK) {
        attr->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return v->rv;
    }
    if (v->content_case == JHSM__V1__ATTRIBUTE_VALUE__CONTENT_TEMPLATE) {
        return write_array(attr, v->template_);
    }
    ProtobufCBinaryData empty = {0, NULL};
    return write_value(attr, v->content_case == JHSM__V1__ATTRIBUTE_VALUE__CONTENT_VALUE ? &v->value : &empty);
}

/* Every attribute is processed even when another fails; the call returns the first per-attribute error. */
CK_RV C_GetAttributeValue(CK_ULONG h, CK_ULONG hObject, CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount) {
    JC_REQUIRE_INIT();
    CK_RV rv = count_ok(pTemplate, ulCount);
    if (rv != CKR_OK) {
        return rv;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__GetAttributeValue g = JHSM__V1__GET_ATTRIBUTE_VALUE__INIT;
    uint64_t none;
    uint64_t *typesp = ulCount == 0 ? &none : malloc(ulCount * sizeof(uint64_t));
    if (typesp == NULL) {
        return CKR_HOST_MEMORY;
    }
    for (CK_ULONG i = 0; i < ulCount; i++) {
        typesp[i] = pTemplate[i].type;
    }
    SET(g, session, h);
    SET(g, object, hObject);
    g.n_types = ulCount;
    g.types = typesp;
    jc_put(&req, FN(GET_ATTRIBUTE_VALUE), &g);
    Resp *resp;
    rv = jc_call("C_GetAttributeValue", &req, &resp);
    if (typesp != &none) {
        free(typesp);
    }
    if (rv == CKR_OK) {
        const Jhsm__V1__AttributeValues *values =
            resp->result_case == JHSM__V1__RESPONSE__RESULT_ATTRIBUTE_VALUES ? resp->attribute_values : NULL;
        size_t n = values == NULL ? 0 : values->n_values;
        if (n != ulCount) {
            rv = jc_bad_answer("C_GetAttributeValue", "not one reading per requested attribute");
        } else {
            for (CK_ULONG i = 0; i < ulCount; i++) {
                CK_RV one = write_reading(&pTemplate[i], values->values[i]);
                rv = rv == CKR_OK ? one : rv;
            }
        }
    }
    return jc_finish(resp, NULL, rv);
}
