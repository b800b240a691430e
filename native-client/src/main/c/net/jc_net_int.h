/*
 * net/'s own types, shared by its files (not seen by pkcs11/). One concept per section; each .c file owns one.
 */
#ifndef JC_NET_INT_H
#define JC_NET_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/ssl.h>
#include "jc_net.h"
#include "jc_log.h"
#include "jhsm/v1/management.pb-c.h"

/* CK_RVs net/ answers with itself. */
#define JC_CKR_OK 0x0UL
#define JC_CKR_GENERAL_ERROR 0x5UL
#define JC_CKR_ARGUMENTS_BAD 0x7UL
#define JC_CKR_FUNCTION_FAILED 0x6UL
#define JC_CKR_DEVICE_ERROR 0x30UL
#define JC_CKR_DEVICE_REMOVED 0x32UL
#define JC_CKR_SESSION_HANDLE_INVALID 0xB3UL
#define JC_CKR_USER_ALREADY_LOGGED_IN 0x100UL
#define JC_CKR_CRYPTOKI_NOT_INITIALIZED 0x190UL
#define JC_CKU_CONTEXT_SPECIFIC 2UL

/* The biggest message either side accepts (HsmChannels.MAX_MESSAGE_BYTES): 16 MiB of data plus room around it. */
#define JC_MAX_MESSAGE (16u * 1024 * 1024 + 64u * 1024)

int64_t jc_now_ms(void); /* CLOCK_MONOTONIC */
void jc_sleep_ms(int64_t ms);

/* ---- conf.c: the JHSM_CONF client file, as ClientConfig */
typedef struct { char host[256]; int port; } jc_addr;
typedef struct {
    char file[4096];
    jc_addr *hsms;
    int n_hsms;
    char *ca_cert, *client_cert, *client_key; /* absolute paths; client_* NULL without mTLS */
    int64_t connect_timeout_ms, call_timeout_ms;
    int discovery, retry_standard, key_check, spread_sessions;
} jc_conf;
int jc_conf_load(jc_conf *c);            /* 0, or -1 after one logged line (CKR_GENERAL_ERROR) */
void jc_conf_free(jc_conf *c);
int jc_addr_parse(const char *text, jc_addr *out); /* 0, or -1: not HOST:PORT */
void jc_addr_str(const jc_addr *a, char *buf, size_t n);

/* ---- tls.c: the TLS context and one-line refusal reasons, as HsmChannels / HsmTrustManager / TlsFailures */
SSL_CTX *jc_tls_context(const jc_conf *c); /* NULL after one logged line */
/* Why a handshake or read failed, in words; returns 1 when TLS itself refused (retrying will not help). */
int jc_tls_explain(const jc_conf *c, const char *hsm, SSL *ssl, int ssl_error, int sys_errno, char *why, size_t n);

/* ---- sock.c: TCP */
int jc_wait_fd(int fd, short events, int64_t deadline_ms); /* 1 ready, 0 deadline, -1 error */
void jc_tls_use_socket(SSL *ssl, int fd); /* reads from fd, writes with send(MSG_NOSIGNAL): never SIGPIPE */
int jc_tcp_connect(const jc_addr *a, const char *hsm, int64_t deadline_ms, char *why, size_t n); /* fd, or -1 + why */

/* ---- h2conn.c: one TLS + HTTP/2 connection (one application on the node), gRPC unary calls on it */
enum { JC_GRPC_OK = 0, JC_GRPC_CANCELLED = 1, JC_GRPC_UNKNOWN = 2, JC_GRPC_DEADLINE = 4, JC_GRPC_PERMISSION_DENIED = 7,
       JC_GRPC_RESOURCE_EXHAUSTED = 8, JC_GRPC_FAILED_PRECONDITION = 9, JC_GRPC_UNIMPLEMENTED = 12,
       JC_GRPC_INTERNAL = 13, JC_GRPC_UNAVAILABLE = 14, JC_GRPC_UNAUTHENTICATED = 16 };
typedef struct {
    int status;          /* gRPC status (a local failure is mapped to one, as grpc-java does) */
    char message[700];   /* grpc-message decoded, or the local reason */
    uint8_t *body;       /* the answer's message (malloc'd), on status OK */
    size_t body_len;
    int sent;            /* the request left the client (UNAVAILABLE before that: safe to try another HSM) */
} jc_grpc_result;
typedef struct jc_conn jc_conn;
/* Connects (one attempt, TCP + TLS 1.3 + h2 preface), by deadline_ms. NULL: *why says why, *tls_refused set. */
jc_conn *jc_conn_open(const jc_conf *c, SSL_CTX *ctx, const jc_addr *a, int64_t deadline_ms, char *why, size_t n,
                      int *tls_refused);
/* One unary call: 5-byte gRPC frame + msg out, status + message in. Always bounded by deadline_ms. */
void jc_conn_unary(jc_conn *c, const char *path, const uint8_t *msg, size_t len, int64_t deadline_ms,
                   jc_grpc_result *out);
int jc_conn_alive(jc_conn *c);            /* not closed, no GOAWAY, no error */
uint64_t jc_conn_epoch(const jc_conn *c); /* unique per connection in the process: a new application on the node */
int jc_conn_fd(const jc_conn *c);
const char *jc_conn_death(jc_conn *c);    /* why it died ("" while alive) */
int jc_conn_tls_refused(jc_conn *c);      /* it died of a TLS refusal (mTLS: seen only after the handshake) */
void jc_conn_service_idle(jc_conn *c);    /* the background thread: read what came (PINGs), answer it */
void jc_conn_keepalive(jc_conn *c);       /* the background thread: PING a silent HSM, drop one that never answers */
void jc_conn_ref(jc_conn *c);
void jc_conn_unref(jc_conn *c);
void jc_conn_close(jc_conn *c);           /* GOAWAY + close_notify (best effort), then the socket */
void jc_conn_forget(jc_conn *c);          /* after fork: only close the child's descriptor */

/* ---- grpc.c: a protobuf-c message as a unary call */
void jc_grpc_call(jc_conn *c, const char *path, const ProtobufCMessage *req, int64_t deadline_ms, jc_grpc_result *out);
/* Health check: any answer over the TLS session proves it (HsmChannels.connect). */
int jc_grpc_health(jc_conn *c, int64_t deadline_ms, jc_grpc_result *out);

/* ---- status.c: gRPC status -> CK_RV and the words around it, as StatusMapping */
jc_rv jc_status_rv(int status, int function_case);
const char *jc_status_advice(int status);
const char *jc_status_name(int status);
void jc_function_name(int function_case, char *buf, size_t n); /* C_GetSlotList */
const char *jc_net_rv_name(jc_rv rv);
uint64_t jc_operation_ends(int function_case); /* C_SessionCancel's flags for what an error ends */

/* ---- reqsess.c: the request's function and its session field, by protobuf-c's descriptors */
uint64_t *jc_req_session(Jhsm__V1__Request *req); /* the function's `session` field, or NULL: a call without */
ProtobufCMessage *jc_req_function(Jhsm__V1__Request *req);

/* ---- hsm.c: one HSM of the cluster as this application knows it (HsmMember) */
typedef struct jc_member {
    jc_addr addr;
    char label[320];          /* "hsm-id (host:port)" once discovery named it, else host:port */
    pthread_mutex_t mu;       /* guards every field below */
    pthread_mutex_t connecting;
    jc_conn *conn;            /* the current connection or NULL */
    int lost;                 /* a call found it gone, or a connect failed */
    int64_t lost_at, last_try;
    int listed, serving, login_refused, session_objects, tls_refused;
    uint64_t reported_sessions, applied;
    uint64_t login_epoch;     /* the connection epoch the application logged in on, 0: none */
} jc_member;
typedef struct jc_net_state jc_net_state;
jc_member *jc_member_new(const jc_addr *a);
/* A referenced live connection, opening one when allowed (a lost HSM at most once per 500 ms); NULL: none. */
jc_conn *jc_member_conn(jc_net_state *s, jc_member *m, int may_connect, const char *during);
jc_conn *jc_member_current(jc_member *m); /* referenced live connection or NULL, never connects */
void jc_member_lost(jc_net_state *s, jc_member *m, jc_conn *seen); /* the call on `seen` found it gone */
int jc_member_logged_in(jc_member *m, uint64_t epoch);
void jc_member_set_login(jc_member *m, uint64_t epoch);
int jc_member_placeable(jc_member *m);
void jc_member_label(jc_member *m, char *buf, size_t n);
void jc_member_free(jc_member *m);

/* ---- retry.c: one call to one HSM, retried while throttled (ThrottleRetry), min_applied_index */
typedef struct { jc_rv rv; Jhsm__V1__Response *resp; int never_ran; } jc_sent;
jc_sent jc_send(jc_net_state *s, jc_member *m, jc_conn *c, Jhsm__V1__Request *req, int64_t deadline_ms);

/* ---- router.c: the application's sessions across the cluster (SessionRouter + survival) */
typedef struct {
    uint64_t handle, node_handle, slot, flags, epoch;
    jc_member *member;
} jc_route;
jc_rv jc_router_call(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp);
jc_rv jc_router_any(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp);
/* The route of handle made live (re-opened on a serving HSM when its own was lost); *conn referenced. */
jc_rv jc_router_live(jc_net_state *s, uint64_t handle, int function_case, jc_route *out, jc_conn **conn);
jc_rv jc_router_send(jc_net_state *s, const jc_route *r, jc_conn *c, Jhsm__V1__Request *req, int64_t deadline,
                     Jhsm__V1__Response **resp);
/* A live session of the application on m (its connection referenced), or 0. */
int jc_router_any_on(jc_net_state *s, jc_member *m, jc_route *out, jc_conn **conn);
void jc_router_clear(jc_net_state *s);
/* A Session-shaped call (C_CloseSession, C_Logout) on a node handle; its answer does not matter. */
void jc_router_session_call(jc_net_state *s, jc_member *m, jc_conn *c, int f, uint64_t node, int64_t deadline);

/* ---- logins.c: the application's login across the cluster (Logins) */
jc_rv jc_logins_login(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp);
jc_rv jc_logins_logout(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp);
void jc_logins_pin_changed(jc_net_state *s, const ProtobufCBinaryData *new_pin, int has);
int jc_logins_join(jc_net_state *s, jc_member *m, jc_conn *c, uint64_t node_handle, int64_t deadline);
void jc_logins_forget(jc_net_state *s);

/* ---- placement.c: which HSM a new session (or a call without one) goes to (HsmPool) */
int jc_place_order(jc_net_state *s, jc_member **out, int cap, int for_any_call);

/* ---- discovery.c */
void jc_discovery_refresh(jc_net_state *s);
void jc_discovery_soon(jc_net_state *s);
jc_member *jc_state_member(jc_net_state *s, const jc_addr *a); /* found or added */

/* ---- net.c: the process's client */
struct jc_net_state {
    jc_conf conf;
    SSL_CTX *ctx;
    pthread_mutex_t mu;            /* members array, routes, logins */
    jc_member **members;
    int n_members, cap_members;
    jc_route *routes;              /* sorted by handle (handles only grow) */
    int n_routes, cap_routes;
    pthread_mutex_t revive;        /* one session re-opened at a time */
    /* logins (under mu) */
    int login_active;
    uint64_t login_type;
    uint8_t *pin, *username;
    size_t pin_len, username_len;
    int has_pin, has_username;
    uint64_t seen_applied;         /* the highest applied index any HSM reported (atomic) */
    unsigned rr;                   /* round robin among equally loaded HSMs */
    int threaded;
    pthread_t thread;
    int wake_fd;                   /* eventfd: stop, or refresh discovery now */
    int stopping, refresh_now;
    int64_t last_refresh;
};
int jc_state_members(jc_net_state *s, jc_member **out, int cap); /* a snapshot */

#endif
