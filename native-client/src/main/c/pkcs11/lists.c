/*
 * The function lists and interfaces (as the Java bridge's jhsm_shim.c offers them): C_GetFunctionList gives
 * the 2.40 list; C_GetInterface(NULL, NULL) the 3.0 interface, the version C_GetInfo reports; the 3.2 one
 * by version. The lists are answered before C_Initialize, as PKCS#11 requires.
 */
#include <string.h>
#include "jc_api.h"
#include "functions.h"

#define ENTRY(idx, name, params) [idx] = (void *) name,

static jc_function_list_3_2 list_3_2 = {{3, 2}, {JC_FUNCTIONS(ENTRY)}};

/* The 3.0 and 2.40 lists are the first 92 and 68 entries of the 3.2 one, filled at load time from it. */
static jc_function_list_3_0 list_3_0 = {{3, 0}, {0}};
static jc_function_list_2_40 list_2_40 = {{2, 40}, {0}};

__attribute__((constructor)) static void fill_older_lists(void) {
    memcpy(list_3_0.fn, list_3_2.fn, sizeof(list_3_0.fn));
    memcpy(list_2_40.fn, list_3_2.fn, sizeof(list_2_40.fn));
}

static CK_CHAR interface_name[] = "PKCS 11";

/* Not CKF_INTERFACE_FORK_SAFE: a child must C_Initialize again (its sessions are not the parent's). */
static CK_INTERFACE interfaces[3] = {
    {interface_name, &list_3_0, 0},
    {interface_name, &list_3_2, 0},
    {interface_name, &list_2_40, 0},
};

#define INTERFACE_COUNT (sizeof(interfaces) / sizeof(interfaces[0]))

CK_RV C_GetFunctionList(void **ppFunctionList) {
    if (ppFunctionList == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *ppFunctionList = &list_2_40;
    return CKR_OK;
}

CK_RV C_GetInterfaceList(CK_INTERFACE *pList, CK_ULONG *pulCount) {
    if (pulCount == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    if (pList == NULL) {
        *pulCount = INTERFACE_COUNT;
        return CKR_OK;
    }
    if (*pulCount < INTERFACE_COUNT) {
        *pulCount = INTERFACE_COUNT;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(pList, interfaces, sizeof(interfaces));
    *pulCount = INTERFACE_COUNT;
    return CKR_OK;
}

CK_RV C_GetInterface(CK_UTF8CHAR *pName, CK_VERSION *pVersion, CK_INTERFACE **ppInterface, CK_ULONG flags) {
    if (ppInterface == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    if (pName != NULL && strcmp((const char *) pName, (const char *) interface_name) != 0) {
        return CKR_ARGUMENTS_BAD;
    }
    for (size_t i = 0; i < INTERFACE_COUNT; i++) {
        const CK_VERSION *v = interfaces[i].pFunctionList;
        int version_ok = pVersion == NULL || (pVersion->major == v->major && pVersion->minor == v->minor);
        if (version_ok && (interfaces[i].flags & flags) == flags) {
            *ppInterface = &interfaces[i];
            return CKR_OK;
        }
    }
    return CKR_ARGUMENTS_BAD;
}

/* The 3.2 asynchronous functions: not supported (the README lists them). */
CK_RV C_AsyncComplete(CK_ULONG h, CK_UTF8CHAR *pName, void *pResult) {
    return CKR_FUNCTION_NOT_SUPPORTED;
}

CK_RV C_AsyncGetID(CK_ULONG h, CK_UTF8CHAR *pName, CK_ULONG *pulID) {
    return CKR_FUNCTION_NOT_SUPPORTED;
}

CK_RV C_AsyncJoin(CK_ULONG h, CK_UTF8CHAR *pName, CK_ULONG ulID, CK_BYTE *pData, CK_ULONG ulData) {
    return CKR_FUNCTION_NOT_SUPPORTED;
}
