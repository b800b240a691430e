package io.jhsm.engine.cloudhsm;

import java.util.List;

/**
 * One management event as the HSM saw it, before the log numbers and chains it: CloudHSM's command
 * type and opcode, the session, the response (a CK_RV; 0 = success), the user and the key handles.
 */
public record AuditEvent(String commandType, String opcode, long session, long response, String user,
                         List<Long> keys, String detail) {

    public static final String MGMT = "CN_MGMT_CMD";
    public static final String CERT_AUTH = "CN_CERT_AUTH_CMD";

    public static AuditEvent mgmt(String opcode, long session, long response, String user, List<Long> keys, String detail) {
        return new AuditEvent(MGMT, opcode, session, response, user == null ? "" : user, List.copyOf(keys),
                detail == null ? "" : detail);
    }
}
