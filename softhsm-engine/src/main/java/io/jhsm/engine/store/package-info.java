/**
 * Persistence of tokens, users and objects in SQLite, with sensitive values sealed and PINs verified
 * through PBKDF2: nothing secret on disk in clear.
 *
 * <p>May depend on the api only.
 */
package io.jhsm.engine.store;
