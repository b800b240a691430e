/* CK_RV names for the client's log lines. */
#ifndef JC_RV_H
#define JC_RV_H

#include "jc_pkcs11.h"

const char *jc_rv_name(CK_RV rv);
/* Device, general and function failures: their reason goes to the log (the bridge's Guard.explainable). */
int jc_rv_explainable(CK_RV rv);

#endif
