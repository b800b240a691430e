/*
 * A gRPC unary call's stream: the request's DATA (1 byte 0 = uncompressed, 4-byte big-endian length, message),
 * the answer's headers, DATA and trailers. A hostile or broken node (garbage, a huge length prefix, a reset)
 * gives a gRPC error status, never a crash: the answer is capped at JC_MAX_MESSAGE as HsmChannels caps it.
 */
#include "h2stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jc_h2stream_init(jc_h2stream *st, const uint8_t *msg, size_t len) {
    memset(st, 0, sizeof *st);
    st->grpc_status = -1;
    st->out = malloc(len + 5);
    st->out[0] = 0;
    st->out[1] = (uint8_t) (len >> 24);
    st->out[2] = (uint8_t) (len >> 16);
    st->out[3] = (uint8_t) (len >> 8);
    st->out[4] = (uint8_t) len;
    if (len) memcpy(st->out + 5, msg, len);
    st->out_len = len + 5;
}

void jc_h2stream_free(jc_h2stream *st) {
    free(st->out);
    free(st->in);
}

ssize_t jc_h2stream_read(nghttp2_session *s, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
                         nghttp2_data_source *src, void *ud) {
    jc_h2stream *st = nghttp2_session_get_stream_user_data(s, id);
    if (!st) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; /* its caller gave up: reset the stream */
    size_t n = st->out_len - st->out_off;
    if (n > len) n = len;
    memcpy(buf, st->out + st->out_off, n);
    st->out_off += n;
    if (st->out_off == st->out_len) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return (ssize_t) n;
}

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* grpc-message is percent-encoded (gRPC over HTTP/2). */
static void percent_decode(const uint8_t *v, size_t len, char *out, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        if (v[i] == '%' && i + 2 < len && hexval((char) v[i + 1]) >= 0 && hexval((char) v[i + 2]) >= 0) {
            out[o++] = (char) (hexval((char) v[i + 1]) * 16 + hexval((char) v[i + 2]));
            i += 2;
        } else {
            out[o++] = (char) v[i];
        }
    }
    out[o] = 0;
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f, const uint8_t *name, size_t nl, const uint8_t *value,
                     size_t vl, uint8_t flags, void *ud) {
    jc_h2stream *st = nghttp2_session_get_stream_user_data(s, f->hd.stream_id);
    if (!st || f->hd.type != NGHTTP2_HEADERS) return 0;
    if (nl == 7 && memcmp(name, ":status", 7) == 0) {
        st->http_status = atoi((const char *) value);
    } else if (nl == 11 && memcmp(name, "grpc-status", 11) == 0) {
        char num[12];
        size_t k = vl < sizeof num - 1 ? vl : sizeof num - 1;
        memcpy(num, value, k);
        num[k] = 0;
        char *end;
        long code = strtol(num, &end, 10);
        st->grpc_status = end == num || *end || code < 0 || code > 16 ? JC_GRPC_UNKNOWN : (int) code;
    } else if (nl == 12 && memcmp(name, "grpc-message", 12) == 0) {
        percent_decode(value, vl, st->grpc_message, sizeof st->grpc_message);
    }
    return 0;
}

static int on_data(nghttp2_session *s, uint8_t flags, int32_t id, const uint8_t *data, size_t len, void *ud) {
    jc_h2stream *st = nghttp2_session_get_stream_user_data(s, id);
    if (!st || st->too_big) return 0;
    size_t have = st->in_len + len;
    size_t declared = 0;
    if (have >= 5) { /* the length prefix, from what came so far and this chunk */
        uint8_t p[5];
        for (int i = 0; i < 5; i++) p[i] = (size_t) i < st->in_len ? st->in[i] : data[i - (int) st->in_len];
        declared = (size_t) p[1] << 24 | (size_t) p[2] << 16 | (size_t) p[3] << 8 | p[4];
    }
    if (declared > JC_MAX_MESSAGE || have > (size_t) JC_MAX_MESSAGE + 5) {
        st->too_big = 1;
        nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
        return 0;
    }
    if (have > st->in_cap) {
        size_t cap = st->in_cap ? st->in_cap : 4096;
        while (cap < have) cap *= 2;
        if (cap < 5 + declared && declared) cap = 5 + declared;
        st->in = realloc(st->in, cap);
        st->in_cap = cap;
    }
    memcpy(st->in + st->in_len, data, len);
    st->in_len = have;
    return 0;
}

static int on_close(nghttp2_session *s, int32_t id, uint32_t code, void *ud) {
    jc_h2stream *st = nghttp2_session_get_stream_user_data(s, id);
    if (st) {
        st->done = 1;
        st->reset_code = code;
    }
    return 0;
}

void jc_h2stream_callbacks(nghttp2_session_callbacks *cb) {
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
}

/* gRPC's HTTP-to-status table for an answer without grpc-status. */
static int from_http(int http) {
    switch (http) {
    case 400: return JC_GRPC_INTERNAL;
    case 401: return JC_GRPC_UNAUTHENTICATED;
    case 403: return JC_GRPC_PERMISSION_DENIED;
    case 404: return JC_GRPC_UNIMPLEMENTED;
    case 429: case 502: case 503: case 504: return JC_GRPC_UNAVAILABLE;
    default: return JC_GRPC_UNKNOWN;
    }
}

static void set(jc_grpc_result *out, int status, const char *fmt, const char *a, unsigned long b) {
    out->status = status;
    snprintf(out->message, sizeof out->message, fmt, a, b);
}

void jc_h2stream_result(jc_h2stream *st, const char *hsm, int dead, const char *death, jc_grpc_result *out) {
    out->sent = st->out_off > 0;
    if (st->too_big) {
        set(out, JC_GRPC_RESOURCE_EXHAUSTED, "HSM %s: answer larger than the %lu bytes a client accepts", hsm,
            (unsigned long) JC_MAX_MESSAGE);
    } else if (!st->done) {
        out->status = st->timed_out ? JC_GRPC_DEADLINE : JC_GRPC_UNAVAILABLE;
        if (st->timed_out) snprintf(out->message, sizeof out->message, "HSM %s: no answer in time", hsm);
        else snprintf(out->message, sizeof out->message, "%s", death);
    } else if (st->grpc_status >= 0) {
        out->status = st->grpc_status;
        snprintf(out->message, sizeof out->message, "%s", st->grpc_message);
        if (st->grpc_status == JC_GRPC_OK) {
            size_t declared = st->in_len >= 5 ? ((size_t) st->in[1] << 24 | (size_t) st->in[2] << 16
                                                 | (size_t) st->in[3] << 8 | st->in[4]) : 0;
            if (st->in_len < 5 || st->in[0] != 0 || declared != st->in_len - 5) {
                set(out, JC_GRPC_INTERNAL, "HSM %s: malformed gRPC answer (%lu bytes that are not one uncompressed "
                    "message)", hsm, (unsigned long) st->in_len);
            } else {
                out->body = malloc(declared ? declared : 1);
                memcpy(out->body, st->in + 5, declared);
                out->body_len = declared;
            }
        }
    } else if (st->reset_code) {
        int s = st->reset_code == NGHTTP2_REFUSED_STREAM ? JC_GRPC_UNAVAILABLE
                : st->reset_code == NGHTTP2_CANCEL ? JC_GRPC_CANCELLED : JC_GRPC_INTERNAL;
        set(out, s, "HSM %s: reset the call's HTTP/2 stream (error %lu)", hsm, st->reset_code);
    } else if (dead) {
        out->status = JC_GRPC_UNAVAILABLE;
        snprintf(out->message, sizeof out->message, "%s", death);
    } else if (st->http_status != 200) {
        set(out, from_http(st->http_status), "HSM %s: answered HTTP %lu without a gRPC status", hsm,
            (unsigned long) st->http_status);
    } else {
        out->status = JC_GRPC_INTERNAL;
        snprintf(out->message, sizeof out->message, "HSM %s: ended the call without a gRPC status", hsm);
    }
}
