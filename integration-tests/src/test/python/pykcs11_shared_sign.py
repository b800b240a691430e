#!/usr/bin/python3
"""One crypto user's PKCS#11 application signing with a key it may use (its own, or one shared with it), in a
process of its own: log in, find the private key by label, say "ready" and wait for "go" on stdin (so the test
can hold two such applications logged in at once), then sign SHA-256(data) with raw CKM_ECDSA. Prints one JSON
object on stdout; the Java test verifies the signature with the JDK.

usage: pykcs11_shared_sign.py MODULE TOKEN_LABEL PIN KEY_LABEL DATA_HEX
"""
import hashlib
import json
import sys

import PyKCS11
from pykcs11_token import find_token


def main(module, label, pin, key_label, data_hex):
    lib, slot = find_token(module, label)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    session.login(pin)
    try:
        keys = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_LABEL, key_label)])
        print("ready %d" % len(keys), flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("expected 'go' on stdin")
        digest = hashlib.sha256(bytes.fromhex(data_hex)).digest()
        signature = bytes(session.sign(keys[0], digest, PyKCS11.Mechanism(PyKCS11.CKM_ECDSA)))
        json.dump({"keys_found": len(keys), "signature": signature.hex()}, sys.stdout)
        print(flush=True)
    finally:
        session.logout()
        session.closeSession()


if __name__ == "__main__":
    main(*sys.argv[1:6])
