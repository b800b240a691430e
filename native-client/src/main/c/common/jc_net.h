/*
 * The seam between the PKCS#11 surface (pkcs11/) and the network (net/).
 *
 * pkcs11/ turns each C_ call into one jhsm.v1.Request (hsm-protocol's cryptoki.proto, compiled by protoc-c
 * as proto2: set has_x for every singular field it sends) and the Response back into the caller's C
 * structures. net/ owns everything about HSMs: the JHSM_CONF client file, TLS, HTTP/2 and gRPC framing,
 * the cluster (discovery, placement of sessions, login on every HSM used, failover, retry mode, timeouts)
 * and the translation between the application's session handles and each node's. Object handles pass
 * through unchanged: token objects have the same handle on every HSM.
 *
 * Threads and fork: every function here may be called from any thread at once, except jc_net_start and
 * jc_net_stop, which pkcs11/ serialises. After fork() the child calls jc_net_forget_after_fork (from
 * pkcs11/'s pthread_atfork child handler) and nothing else of the parent's state is touched again: a lock
 * another thread of the parent held at fork() stays held forever in the child.
 */
#ifndef JC_NET_H
#define JC_NET_H

#include <stdint.h>
#include "jhsm/v1/cryptoki.pb-c.h"

typedef unsigned long jc_rv; /* a CK_RV (CK_ULONG on LP64) */

/*
 * C_Initialize: reads the file JHSM_CONF names (which must name hsms), connects to the listed HSMs and
 * returns once one answers (within connect-timeout-ms), discovers the rest of the cluster, and (when
 * may_create_threads) starts the one background thread that answers HTTP/2 PINGs on idle connections,
 * refreshes discovery and reconnects lost HSMs. Without that thread the client still works: pings and
 * discovery are served during calls.
 * Returns CKR_OK; CKR_GENERAL_ERROR when JHSM_CONF is missing or wrong; CKR_DEVICE_ERROR when no HSM
 * answered. Every failure writes one line (jc_log_problem) saying what, where and what to do.
 */
jc_rv jc_net_start(int may_create_threads);

/* C_Finalize: closes every connection (the node then closes the application's sessions and logs it out),
 * stops the thread, wipes the PIN kept for logins on further HSMs. */
void jc_net_stop(void);

/* In a fork()ed child: forget the parent's connections without locking anything or sending anything on
 * them (no TLS close_notify, no GOAWAY: the sockets are the parent's too); close the child's copies of
 * their descriptors. Memory is leaked on purpose, once per fork. Afterwards jc_net_start may run again. */
void jc_net_forget_after_fork(void);

/*
 * One PKCS#11 call (every function but C_Initialize/C_Finalize and those answered locally).
 * CKR_OK: *resp is the node's answer (resp->rv is the function's CK_RV, resp->message why); the caller
 * frees it with jc_net_free. Anything else: the call did not reach PKCS#11 on any HSM (HSM unreachable,
 * call-timeout-ms passed, message too large, session's HSM lost) and that CK_RV is the function's answer;
 * *resp is NULL and net/ has logged the line. The request carries the application's session handles;
 * net/ translates them (req is not modified as the caller sees it: net/ restores any field it patched).
 */
jc_rv jc_net_call(Jhsm__V1__Request *req, Jhsm__V1__Response **resp);
void jc_net_free(Jhsm__V1__Response *resp);

#endif
