/*
 * The client's one-line problem log, in the Java client's format (io.jhsm.client.ClientLog):
 *   2026-12-06T15:04:05.123Z jhsm client CKR_DEVICE_REMOVED: <what failed, where, what to do>
 * appended to the file JHSM_LOG names, else stderr; JHSM_LOG_LEVEL=off silences it. The same line is
 * written at most once per ten seconds. Never pass a PIN or key bytes.
 */
#ifndef JC_LOG_H
#define JC_LOG_H

/* rv_name: the CK_RV the application sees ("CKR_DEVICE_ERROR") or "warning". */
void jc_log_problem(const char *rv_name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After fork in the child: the log's lock may be held by a parent thread; start with a fresh one. */
void jc_log_after_fork(void);

#endif
