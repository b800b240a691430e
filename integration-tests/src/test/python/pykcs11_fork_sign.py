#!/usr/bin/python3
"""A forking server's pattern: load a PKCS#11 module (meant to be p11-kit-client.so), log in and sign, then
fork(); the child re-initialises the library as PKCS#11 requires after fork() and signs in its own session,
while the parent keeps signing in the session it opened before the fork. Prints one JSON line per side:
{"side": ..., "signatures": [hex, ...]} or {"side": ..., "error": ...}; exits non-zero if either side failed.

usage: pykcs11_fork_sign.py MODULE TOKEN_LABEL USER_PIN KEY_LABEL DATA_HEX
"""
import json
import os
import sys
import traceback

import PyKCS11


def open_user_session(lib, label, pin):
    slot = next(s for s in lib.getSlotList(tokenPresent=True) if lib.getTokenInfo(s).label.strip() == label)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)
    try:
        session.login(pin)
    except PyKCS11.PyKCS11Error as e:
        if e.value != PyKCS11.CKR_USER_ALREADY_LOGGED_IN:  # login state is per token, shared by sessions
            raise
    return session


def sign(session, key_label, data):
    key = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_LABEL, key_label)])[0]
    return bytes(session.sign(key, data, PyKCS11.Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS))).hex()


def report(side, fn):
    try:
        out = {"side": side, "signatures": fn()}
        ok = True
    except Exception as e:  # report, don't hide: the Java side prints this
        out = {"side": side, "error": repr(e), "trace": traceback.format_exc()}
        ok = False
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return ok


def main(module, label, pin, key_label, data_hex):
    data = bytes.fromhex(data_hex)
    lib = PyKCS11.PyKCS11Lib()
    lib.load(module)
    session = open_user_session(lib, label, pin)
    before = sign(session, key_label, data)

    pid = os.fork()
    if pid == 0:
        def child():
            # PKCS#11 2.40 section 6.7.7: after fork() the child must call C_Initialize before using the library.
            rv = lib.lib.C_Initialize()
            if rv not in (PyKCS11.CKR_OK, PyKCS11.CKR_CRYPTOKI_ALREADY_INITIALIZED):
                raise PyKCS11.PyKCS11Error(rv)
            s = open_user_session(lib, label, pin)
            return [sign(s, key_label, data) for _ in range(3)]
        os._exit(0 if report("child", child) else 1)

    parent_ok = report("parent", lambda: [before] + [sign(session, key_label, data) for _ in range(3)])
    _, status = os.waitpid(pid, 0)
    sys.exit(0 if parent_ok and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 1)


if __name__ == "__main__":
    main(*sys.argv[1:6])
