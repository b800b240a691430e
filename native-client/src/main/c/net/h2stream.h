/* One gRPC unary call as one HTTP/2 stream: what nghttp2's callbacks fill in, and the gRPC status it comes to. */
#ifndef JC_H2STREAM_H
#define JC_H2STREAM_H

#include <nghttp2/nghttp2.h>
#include "jc_net_int.h"

typedef struct {
    int32_t id;
    uint8_t *out;               /* the request: 5-byte gRPC prefix + message */
    size_t out_len, out_off;
    uint8_t *in;                /* the answer's DATA, prefix included */
    size_t in_len, in_cap;
    int too_big;                /* the answer passed JC_MAX_MESSAGE: the stream was cancelled */
    int http_status, grpc_status; /* grpc_status -1 until the trailers came */
    char grpc_message[512];
    uint32_t reset_code;
    int done, timed_out;
} jc_h2stream;

void jc_h2stream_init(jc_h2stream *st, const uint8_t *msg, size_t len);
void jc_h2stream_free(jc_h2stream *st);
void jc_h2stream_callbacks(nghttp2_session_callbacks *cb);
ssize_t jc_h2stream_read(nghttp2_session *s, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
                         nghttp2_data_source *src, void *ud);
/* The stream's outcome as a gRPC status (local failures mapped as grpc-java maps them). */
void jc_h2stream_result(jc_h2stream *st, const char *hsm, int dead, const char *death, jc_grpc_result *out);

#endif
