/*
 * Generic access to a request's function and its `session` field through protobuf-c's descriptors (as the Java
 * client's RequestSessions), so no file lists the ninety functions.
 */
#include "jc_net_int.h"

#include <string.h>

ProtobufCMessage *jc_req_function(Jhsm__V1__Request *req) {
    const ProtobufCFieldDescriptor *fd =
        protobuf_c_message_descriptor_get_field(&jhsm__v1__request__descriptor, (unsigned) req->function_case);
    if (!fd || fd->type != PROTOBUF_C_TYPE_MESSAGE) return NULL;
    return *(ProtobufCMessage **) ((char *) req + fd->offset);
}

uint64_t *jc_req_session(Jhsm__V1__Request *req) {
    ProtobufCMessage *m = jc_req_function(req);
    if (!m) return NULL;
    const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "session");
    if (!fd || fd->type != PROTOBUF_C_TYPE_UINT64 || fd->label == PROTOBUF_C_LABEL_REPEATED) return NULL;
    if (fd->quantifier_offset) *(protobuf_c_boolean *) ((char *) m + fd->quantifier_offset) = 1; /* sent: has_session */
    return (uint64_t *) ((char *) m + fd->offset);
}
