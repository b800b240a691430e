package io.jhsm.client;

import io.grpc.Status;
import io.jhsm.pkcs11.CKR;
import io.jhsm.protocol.v1.Request;

/**
 * What a call that did not reach PKCS#11 (a gRPC status other than OK) returns to the application.
 *
 * <p>Sources: the PKCS#11 3.2 base specification §5.1 (CKR_DEVICE_REMOVED: the token went away
 * during the function; CKR_DEVICE_ERROR: some problem with the token or slot; CKR_GENERAL_ERROR is for
 * unrecoverable library failures, which a lost link is not), and CloudHSM's client, which reports a
 * lost HSM connection as "Communication with the device was lost during the execution of the function"
 * (aws-samples/aws-cloudhsm-jce-examples issues 62 and 86), the device-removed condition. CloudHSM's
 * user guide publishes no finer table, so:
 * <ul>
 *   <li>UNAVAILABLE, CANCELLED (connection refused, lost, or the HSM stopped): CKR_DEVICE_REMOVED for the
 *       functions whose return values include it, CKR_DEVICE_ERROR for C_GetInfo, C_GetSlotList,
 *       C_GetSlotInfo and C_WaitForSlotEvent, which do not list it;</li>
 *   <li>DEADLINE_EXCEEDED (no answer within call-timeout-ms): CKR_DEVICE_ERROR;</li>
 *   <li>RESOURCE_EXHAUSTED (a request above the node's message bound): CKR_ARGUMENTS_BAD, valid for
 *       every function (CKR_DATA_LEN_RANGE is not);</li>
 *   <li>FAILED_PRECONDITION (cluster not initialized), UNAUTHENTICATED, PERMISSION_DENIED (TLS or mTLS
 *       refusal) and everything else: CKR_DEVICE_ERROR.</li>
 * </ul>
 */
final class StatusMapping {
    private StatusMapping() {}

    static long rv(Status.Code code, Request.FunctionCase function) {
        switch (code) {
            case UNAVAILABLE:
            case CANCELLED:
                return removedIsListed(function) ? CKR.DEVICE_REMOVED : CKR.DEVICE_ERROR;
            case RESOURCE_EXHAUSTED:
                return CKR.ARGUMENTS_BAD;
            default:
                return CKR.DEVICE_ERROR;
        }
    }

    private static boolean removedIsListed(Request.FunctionCase f) {
        return f != Request.FunctionCase.GET_INFO && f != Request.FunctionCase.GET_SLOT_LIST
                && f != Request.FunctionCase.GET_SLOT_INFO && f != Request.FunctionCase.WAIT_FOR_SLOT_EVENT;
    }

    /** What to do, for the log line. */
    static String advice(Status.Code code) {
        switch (code) {
            case UNAVAILABLE:
            case CANCELLED:
                return "check that the HSM node runs and is reachable (jhsm cluster status); calls work again once an HSM"
                        + " serves (the client re-opens the sessions there)";
            case DEADLINE_EXCEEDED:
                return "the HSM is overloaded, hung or unreachable: check the node, or raise call-timeout-ms in JHSM_CONF";
            case RESOURCE_EXHAUSTED:
                return "the request is larger than the HSM accepts: send the data in parts (C_*Update)";
            case FAILED_PRECONDITION:
                return "finish the cluster's set-up first";
            case UNAUTHENTICATED:
            case PERMISSION_DENIED:
                return "check hsm-ca-cert, client-cert and client-key in JHSM_CONF against the cluster's trust anchors";
            default:
                return "check the HSM node's log";
        }
    }

    /** C_EncryptMessageBegin for ENCRYPT_MESSAGE_BEGIN. */
    static String functionName(Request.FunctionCase f) {
        StringBuilder b = new StringBuilder("C_");
        for (String part : f.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString().replace("Pin", "PIN");
    }
}
