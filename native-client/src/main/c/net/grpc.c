/* A protobuf-c message as one gRPC unary call, and the connect proof (HsmChannels.connect's health check). */
#include "jc_net_int.h"

#include <stdlib.h>

void jc_grpc_call(jc_conn *c, const char *path, const ProtobufCMessage *req, int64_t deadline, jc_grpc_result *out) {
    size_t len = protobuf_c_message_get_packed_size(req);
    uint8_t *buf = malloc(len ? len : 1);
    protobuf_c_message_pack(req, buf);
    jc_conn_unary(c, path, buf, len, deadline, out);
    free(buf);
}

/* 0: the TLS session works (any gRPC answer came over it, UNIMPLEMENTED included); -1: out says why. */
int jc_grpc_health(jc_conn *c, int64_t deadline, jc_grpc_result *out) {
    jc_conn_unary(c, "/grpc.health.v1.Health/Check", NULL, 0, deadline, out);
    free(out->body);
    out->body = NULL;
    int code = out->status;
    return code != JC_GRPC_UNAVAILABLE && code != JC_GRPC_DEADLINE && code != JC_GRPC_UNKNOWN ? 0 : -1;
}
