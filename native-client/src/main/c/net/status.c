/*
 * What a call that did not reach PKCS#11 (a gRPC status other than OK) returns, as the Java client's
 * StatusMapping: PKCS#11 3.2 §5.1 (CKR_DEVICE_REMOVED: the token went away during the function) and CloudHSM's
 * client, which reports a lost HSM connection as the device-removed condition.
 */
#include "jc_net_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* C_GetInfo, C_GetSlotList, C_GetSlotInfo and C_WaitForSlotEvent do not list CKR_DEVICE_REMOVED. */
static int removed_is_listed(int f) {
    return f != JHSM__V1__REQUEST__FUNCTION_GET_INFO && f != JHSM__V1__REQUEST__FUNCTION_GET_SLOT_LIST
           && f != JHSM__V1__REQUEST__FUNCTION_GET_SLOT_INFO && f != JHSM__V1__REQUEST__FUNCTION_WAIT_FOR_SLOT_EVENT;
}

jc_rv jc_status_rv(int status, int f) {
    switch (status) {
    case JC_GRPC_UNAVAILABLE:
    case JC_GRPC_CANCELLED: return removed_is_listed(f) ? JC_CKR_DEVICE_REMOVED : JC_CKR_DEVICE_ERROR;
    case JC_GRPC_RESOURCE_EXHAUSTED: return JC_CKR_ARGUMENTS_BAD;
    default: return JC_CKR_DEVICE_ERROR;
    }
}

const char *jc_status_advice(int status) {
    switch (status) {
    case JC_GRPC_UNAVAILABLE:
    case JC_GRPC_CANCELLED:
        return "check that the HSM node runs and is reachable (jhsm cluster status); its sessions are re-opened on a "
               "serving HSM at their next call";
    case JC_GRPC_DEADLINE:
        return "the HSM is overloaded, hung or unreachable: check the node, or raise call-timeout-ms in JHSM_CONF";
    case JC_GRPC_RESOURCE_EXHAUSTED: return "the request is larger than the HSM accepts: send the data in parts (C_*Update)";
    case JC_GRPC_FAILED_PRECONDITION: return "finish the cluster's set-up first";
    case JC_GRPC_UNAUTHENTICATED:
    case JC_GRPC_PERMISSION_DENIED:
        return "check hsm-ca-cert, client-cert and client-key in JHSM_CONF against the cluster's trust anchors";
    default: return "check the HSM node's log";
    }
}

const char *jc_status_name(int s) {
    static const char *names[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
                                  "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                  "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
                                  "UNAUTHENTICATED"};
    return s >= 0 && s <= 16 ? names[s] : "UNKNOWN";
}

/* C_EncryptMessageBegin for encrypt_message_begin, from the request's field name. */
void jc_function_name(int f, char *buf, size_t n) {
    const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field(&jhsm__v1__request__descriptor, (unsigned) f);
    const char *name = fd ? fd->name : "call";
    size_t o = snprintf(buf, n, "C_");
    int up = 1;
    for (const char *p = name; *p && o + 1 < n; p++) {
        if (*p == '_') { up = 1; continue; }
        buf[o++] = up ? (char) toupper((unsigned char) *p) : *p;
        up = 0;
    }
    buf[o] = 0;
    char *pin = strstr(buf, "Pin");
    if (pin && (pin[3] == 0)) memcpy(pin, "PIN", 3);
}

const char *jc_net_rv_name(jc_rv rv) {
    switch (rv) {
    case 0x0: return "CKR_OK";
    case 0x5: return "CKR_GENERAL_ERROR";
    case 0x6: return "CKR_FUNCTION_FAILED";
    case 0x7: return "CKR_ARGUMENTS_BAD";
    case 0x30: return "CKR_DEVICE_ERROR";
    case 0x32: return "CKR_DEVICE_REMOVED";
    case 0xA0: return "CKR_PIN_INCORRECT";
    case 0xB3: return "CKR_SESSION_HANDLE_INVALID";
    case 0x100: return "CKR_USER_ALREADY_LOGGED_IN";
    case 0x101: return "CKR_USER_NOT_LOGGED_IN";
    default: return "CKR_ error";
    }
}

/*
 * The CKF_ flags of C_SessionCancel for the operations a function continues (OperationEnds): PKCS#11 §5.2, an error
 * ends the active operation, so a request refused before it reached PKCS#11 (larger than the node accepts) ends it
 * here, and the application sees the state any other error leaves.
 */
uint64_t jc_operation_ends(int f) {
    enum { ENC = 0x100, DEC = 0x200, DIG = 0x400, SIG = 0x800, SIGR = 0x1000, VER = 0x2000, VERR = 0x4000 };
    switch (f) {
    case JHSM__V1__REQUEST__FUNCTION_ENCRYPT: case JHSM__V1__REQUEST__FUNCTION_ENCRYPT_UPDATE:
    case JHSM__V1__REQUEST__FUNCTION_ENCRYPT_FINAL: return ENC;
    case JHSM__V1__REQUEST__FUNCTION_DECRYPT: case JHSM__V1__REQUEST__FUNCTION_DECRYPT_UPDATE:
    case JHSM__V1__REQUEST__FUNCTION_DECRYPT_FINAL: return DEC;
    case JHSM__V1__REQUEST__FUNCTION_DIGEST: case JHSM__V1__REQUEST__FUNCTION_DIGEST_UPDATE:
    case JHSM__V1__REQUEST__FUNCTION_DIGEST_KEY: case JHSM__V1__REQUEST__FUNCTION_DIGEST_FINAL: return DIG;
    case JHSM__V1__REQUEST__FUNCTION_SIGN: case JHSM__V1__REQUEST__FUNCTION_SIGN_UPDATE:
    case JHSM__V1__REQUEST__FUNCTION_SIGN_FINAL: return SIG;
    case JHSM__V1__REQUEST__FUNCTION_SIGN_RECOVER: return SIGR;
    case JHSM__V1__REQUEST__FUNCTION_VERIFY: case JHSM__V1__REQUEST__FUNCTION_VERIFY_UPDATE:
    case JHSM__V1__REQUEST__FUNCTION_VERIFY_FINAL: case JHSM__V1__REQUEST__FUNCTION_VERIFY_SIGNATURE:
    case JHSM__V1__REQUEST__FUNCTION_VERIFY_SIGNATURE_UPDATE: case JHSM__V1__REQUEST__FUNCTION_VERIFY_SIGNATURE_FINAL:
        return VER;
    case JHSM__V1__REQUEST__FUNCTION_VERIFY_RECOVER: return VERR;
    case JHSM__V1__REQUEST__FUNCTION_DIGEST_ENCRYPT_UPDATE: return DIG | ENC;
    case JHSM__V1__REQUEST__FUNCTION_DECRYPT_DIGEST_UPDATE: return DEC | DIG;
    case JHSM__V1__REQUEST__FUNCTION_SIGN_ENCRYPT_UPDATE: return SIG | ENC;
    case JHSM__V1__REQUEST__FUNCTION_DECRYPT_VERIFY_UPDATE: return DEC | VER;
    default: return 0;
    }
}
