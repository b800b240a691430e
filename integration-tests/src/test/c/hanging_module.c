/*
 * A PKCS#11 module whose every function blocks for ever, so HostileInputTest can show that the
 * program's watchdog turns a hang into a failed run instead of a blocked CI job.
 */
#include <unistd.h>

typedef unsigned long CK_ULONG;

static CK_ULONG block(void) {
    for (;;) pause();
    return 0;
}

static struct { unsigned char version[2]; void *fn[92]; } list = {{3, 0}, {0}};
static struct { const char *name; void *list; CK_ULONG flags; } interface = {"PKCS 11", &list, 0};

CK_ULONG C_GetInterface(void *name, void *version, void **interface_out, CK_ULONG flags) {
    (void)name, (void)version, (void)flags;
    for (int i = 0; i < 92; i++) list.fn[i] = (void *)block;
    *interface_out = &interface;
    return 0;
}
