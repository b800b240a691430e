/*
 * lockout_race: N processes guess a PIN at the same moment through a PKCS#11 module.
 *
 *   lockout_race MODULE LABEL ROLE(user|so) RIGHT_PIN WRONG_PIN PROCESSES WRONG_EACH
 *
 * Each child loads the module itself (after the fork: a module with a JVM inside does not survive one), opens a
 * session on the token labelled LABEL and waits at a barrier; then all try WRONG_EACH wrong PINs, wait at a
 * second barrier, and each tries the right PIN once. Every answer is printed as one line, "wrong 0x..." or
 * "right 0x..." (the CK_RV), for the caller to count. The barriers are pipes: the parent closes the write end
 * once every child has reported ready, which wakes all readers at once. Bounded: children and parent arm
 * alarm(), so nothing outlives a stuck module.
 */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

static void say(const char *what, CK_RV rv) {
    char line[64];
    int n = snprintf(line, sizeof line, "%s 0x%lx\n", what, (unsigned long) rv);
    if (write(1, line, (size_t) n) != n) _exit(3);   /* one write per line: lines from children never mix */
}

static void barrier(int ready, int go) {
    char b = 'r';
    if (write(ready, &b, 1) != 1) _exit(4);
    while (read(go, &b, 1) > 0) { }   /* returns 0 when the parent closes the write end */
}

static CK_RV login(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_USER_TYPE role, const char *pin) {
    CK_RV rv = f->C_Login(s, role, (CK_UTF8CHAR *) pin, strlen(pin));
    if (rv == CKR_OK) f->C_Logout(s);
    return rv;
}

static int child(char **argv, int ready, int go1, int go2) {
    alarm(120);
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 10; }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(h, "C_GetFunctionList");
    CK_FUNCTION_LIST *f;
    if (!get || get(&f) != CKR_OK || f->C_Initialize(NULL) != CKR_OK) return 11;
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    if (f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK) return 12;
    CK_SESSION_HANDLE s = 0;
    for (CK_ULONG i = 0; i < n && !s; i++) {
        CK_TOKEN_INFO ti;
        if (f->C_GetTokenInfo(slots[i], &ti) != CKR_OK) continue;
        size_t len = strlen(argv[2]);
        if (memcmp(ti.label, argv[2], len) == 0 && (len == 32 || ti.label[len] == ' '))
            f->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    }
    if (!s) { fprintf(stderr, "no token labelled %s\n", argv[2]); return 13; }
    CK_USER_TYPE role = strcmp(argv[3], "so") == 0 ? CKU_SO : CKU_USER;
    int wrong = atoi(argv[7]);
    barrier(ready, go1);
    for (int i = 0; i < wrong; i++) say("wrong", login(f, s, role, argv[5]));
    barrier(ready, go2);
    say("right", login(f, s, role, argv[4]));
    f->C_Finalize(NULL);
    return 0;
}

/* Waits for one ready byte from each of n children; false if they all went away first. */
static int all_ready(int ready, int n) {
    char b;
    for (int got = 0; got < n; got++)
        if (read(ready, &b, 1) != 1) return 0;
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: lockout_race MODULE LABEL user|so RIGHT_PIN WRONG_PIN PROCESSES WRONG_EACH\n");
        return 2;
    }
    int procs = atoi(argv[6]);
    int ready[2], go1[2], go2[2];
    if (pipe(ready) || pipe(go1) || pipe(go2)) { perror("pipe"); return 1; }
    alarm(180);
    for (int i = 0; i < procs; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) {
            close(ready[0]); close(go1[1]); close(go2[1]);
            _exit(child(argv, ready[1], go1[0], go2[0]));
        }
    }
    close(ready[1]); close(go1[0]); close(go2[0]);
    int ok = all_ready(ready[0], procs);
    close(go1[1]);
    ok = ok && all_ready(ready[0], procs);
    close(go2[1]);
    int failed = !ok;
    for (int i = 0; i < procs; i++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
    }
    printf("children %s\n", failed ? "FAILED" : "done");
    return failed;
}
