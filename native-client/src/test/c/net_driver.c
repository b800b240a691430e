/*
 * Drives net/ alone against a real node (no PKCS#11 surface): C_Initialize's start, C_GetInfo, C_GetSlotList,
 * C_OpenSession, C_Login, a call on the session from several threads at once (HTTP/2 multiplexing), C_Logout,
 * C_CloseSession, a handle that was never opened, then stop. JHSM_CONF names the node; the PIN is
 * JHSM_TEST_PIN (alice:alice-pass-1 by default). `net_driver getinfo [nothreads] [idle]`:
 * only C_GetInfo (check-net's hostile HSMs), optionally without the background thread, or idle for a second first. Prints one line per step; exit 0 when every step answered as expected.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "jc_net.h"

static int failures;

static Jhsm__V1__Response *call(const char *what, Jhsm__V1__Request *req, unsigned long want_net, unsigned long want_rv) {
    Jhsm__V1__Response *resp = NULL;
    jc_rv rv = jc_net_call(req, &resp);
    unsigned long got = resp ? (unsigned long) resp->rv : 0;
    int ok = rv == want_net && (!resp || got == want_rv);
    printf("%-28s net=0x%lx rv=0x%lx %s\n", what, rv, got, ok ? "ok" : "FAILED");
    if (!ok) failures++;
    return resp;
}

static uint64_t session;

static void *random_bytes(void *arg) {
    for (int i = 0; i < 20; i++) {
        Jhsm__V1__SessionNumber sn = JHSM__V1__SESSION_NUMBER__INIT;
        sn.has_session = sn.has_number = 1;
        sn.session = session;
        sn.number = 32;
        Jhsm__V1__Request req = JHSM__V1__REQUEST__INIT;
        req.function_case = JHSM__V1__REQUEST__FUNCTION_GENERATE_RANDOM;
        req.generate_random = &sn;
        Jhsm__V1__Response *resp = NULL;
        jc_rv rv = jc_net_call(&req, &resp);
        if (rv != 0 || resp->rv != 0 || resp->random.len != 32 || sn.session != session) {
            __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
            printf("C_GenerateRandom in a thread FAILED: net=0x%lx\n", rv);
        }
        jc_net_free(resp);
    }
    return NULL;
}

/* "getinfo": C_Initialize's start, one C_GetInfo, stop; prints its CK_RV (check-net's hostile HSMs). */
static int getinfo_once(int threads, int idle) {
    jc_rv rv = jc_net_start(threads);
    if (rv == 0) {
        if (idle) sleep(1); /* an idle application: only the background thread reads meanwhile */
        Jhsm__V1__Empty empty = JHSM__V1__EMPTY__INIT;
        Jhsm__V1__Request req = JHSM__V1__REQUEST__INIT;
        req.function_case = JHSM__V1__REQUEST__FUNCTION_GET_INFO;
        req.get_info = &empty;
        Jhsm__V1__Response *resp = NULL;
        rv = jc_net_call(&req, &resp);
        jc_net_free(resp);
        jc_net_stop();
    }
    printf("getinfo net=0x%lx\n", rv);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "getinfo") == 0) {
        int threads = 1, idle = 0;
        for (int i = 2; i < argc; i++) {
            threads &= strcmp(argv[i], "nothreads") != 0;
            idle |= strcmp(argv[i], "idle") == 0;
        }
        return getinfo_once(threads, idle);
    }
    const char *pin = getenv("JHSM_TEST_PIN") ? getenv("JHSM_TEST_PIN") : "alice:alice-pass-1";
    jc_rv rv = jc_net_start(1);
    printf("%-28s net=0x%lx %s\n", "start", rv, rv == 0 ? "ok" : "FAILED");
    if (rv != 0) return 1;

    Jhsm__V1__Empty empty = JHSM__V1__EMPTY__INIT;
    Jhsm__V1__Request req = JHSM__V1__REQUEST__INIT;
    req.function_case = JHSM__V1__REQUEST__FUNCTION_GET_INFO;
    req.get_info = &empty;
    jc_net_free(call("C_GetInfo", &req, 0, 0));

    Jhsm__V1__GetSlotList gsl = JHSM__V1__GET_SLOT_LIST__INIT;
    gsl.has_token_present = 1;
    gsl.token_present = 1;
    req.function_case = JHSM__V1__REQUEST__FUNCTION_GET_SLOT_LIST;
    req.get_slot_list = &gsl;
    Jhsm__V1__Response *slots = call("C_GetSlotList", &req, 0, 0);
    uint64_t slot = slots && slots->handles && slots->handles->n_handles ? slots->handles->handles[0] : 0;
    jc_net_free(slots);

    Jhsm__V1__OpenSession os = JHSM__V1__OPEN_SESSION__INIT;
    os.has_slot = os.has_flags = os.has_notify = 1;
    os.slot = slot;
    os.flags = 0x4 | 0x2; /* CKF_SERIAL_SESSION | CKF_RW_SESSION */
    req.function_case = JHSM__V1__REQUEST__FUNCTION_OPEN_SESSION;
    req.open_session = &os;
    Jhsm__V1__Response *opened = call("C_OpenSession", &req, 0, 0);
    session = opened ? opened->number : 0;
    jc_net_free(opened);
    printf("%-28s handle=%llu\n", "  client session", (unsigned long long) session);

    Jhsm__V1__Login login = JHSM__V1__LOGIN__INIT;
    login.has_session = login.has_user_type = login.has_pin = 1;
    login.session = session;
    login.user_type = 1; /* CKU_USER */
    login.pin.data = (uint8_t *) pin;
    login.pin.len = strlen(pin);
    req.function_case = JHSM__V1__REQUEST__FUNCTION_LOGIN;
    req.login = &login;
    jc_net_free(call("C_Login", &req, 0, 0));
    if (login.session != session) { printf("C_Login changed the caller's request FAILED\n"); failures++; }

    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, random_bytes, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("%-28s %s\n", "4 threads x 20 calls", failures ? "FAILED" : "ok");

    Jhsm__V1__Session s = JHSM__V1__SESSION__INIT;
    s.has_session = 1;
    s.session = session;
    req.function_case = JHSM__V1__REQUEST__FUNCTION_LOGOUT;
    req.logout = &s;
    jc_net_free(call("C_Logout", &req, 0, 0));
    req.function_case = JHSM__V1__REQUEST__FUNCTION_CLOSE_SESSION;
    req.close_session = &s;
    jc_net_free(call("C_CloseSession", &req, 0, 0));
    jc_net_free(call("C_CloseSession again", &req, 0xB3, 0)); /* CKR_SESSION_HANDLE_INVALID, from the client */

    jc_net_stop();
    req.function_case = JHSM__V1__REQUEST__FUNCTION_GET_INFO;
    req.get_info = &empty;
    jc_net_free(call("C_GetInfo after stop", &req, 0x190, 0));
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures ? 1 : 0;
}
