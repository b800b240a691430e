/**
 * The property-based conformance suite: PKCS#11 rules checked against any module through its C ABI (or
 * the jhsm engine in process), reported as specification violations and extraction findings.
 *
 * <p>A consumer: depends on the api, and on the engine only for the in-process target; nothing of jhsm
 * depends on it.
 */
package io.jhsm.conformance;
