#include "rv.h"

#define CKR_TOKEN_NOT_RECOGNIZED 0x0E1UL

const char *jc_rv_name(CK_RV rv) {
    switch (rv) {
        case CKR_GENERAL_ERROR: return "CKR_GENERAL_ERROR";
        case CKR_FUNCTION_FAILED: return "CKR_FUNCTION_FAILED";
        case CKR_DEVICE_ERROR: return "CKR_DEVICE_ERROR";
        case CKR_DEVICE_REMOVED: return "CKR_DEVICE_REMOVED";
        case CKR_TOKEN_NOT_RECOGNIZED: return "CKR_TOKEN_NOT_RECOGNIZED";
        case CKR_HOST_MEMORY: return "CKR_HOST_MEMORY";
        default: return "CKR_ERROR";
    }
}

int jc_rv_explainable(CK_RV rv) {
    return rv == CKR_DEVICE_ERROR || rv == CKR_GENERAL_ERROR || rv == CKR_TOKEN_NOT_RECOGNIZED || rv == CKR_FUNCTION_FAILED;
}
