#!/usr/bin/python3
"""What common applications do with keys, through PyKCS11 (Debian's python3-pykcs11): wrap a key with an AES
key made from the default template (CKA_ENCRYPT/DECRYPT/WRAP/UNWRAP all left to the token), and derive an
extractable ECDH secret from a sensitive EC private key. Prints one JSON object on stdout: each step's result
(hex) or the CK_RV name that refused it, and the token model; the Java test checks the values with the JDK.

usage: pykcs11_wrap_ecdh.py MODULE TOKEN_LABEL USER_PIN PEER_POINT_HEX
"""
import json
import sys

import PyKCS11
from pykcs11_token import find_token


def attempt(step):
    """The step's bytes as hex, or the name of the CK_RV that refused it."""
    try:
        return bytes(step()).hex()
    except PyKCS11.PyKCS11Error as e:
        return PyKCS11.CKR.get(e.value, "0x%X" % e.value)


def main(module, label, pin, peer_point_hex):
    lib, slot = find_token(module, label)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    session.login(pin)
    try:
        aes = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_AES)]
        wrapping = session.generateKey(aes + [(PyKCS11.CKA_VALUE_LEN, 32)], PyKCS11.Mechanism(PyKCS11.CKM_AES_KEY_GEN))
        key = session.generateKey(aes + [(PyKCS11.CKA_VALUE_LEN, 16), (PyKCS11.CKA_EXTRACTABLE, True)],
                                  PyKCS11.Mechanism(PyKCS11.CKM_AES_KEY_GEN))
        wrapped = attempt(lambda: session.wrapKey(wrapping, key, PyKCS11.Mechanism(PyKCS11.CKM_AES_KEY_WRAP)))

        p256 = bytes.fromhex("06082a8648ce3d030107")  # DER OID prime256v1
        pub, priv = session.generateKeyPair(
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC),
             (PyKCS11.CKA_EC_PARAMS, p256)],
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC),
             (PyKCS11.CKA_SENSITIVE, True), (PyKCS11.CKA_DERIVE, True)],
            PyKCS11.Mechanism(PyKCS11.CKM_EC_KEY_PAIR_GEN))
        ec_point = bytes(session.getAttributeValue(pub, [PyKCS11.CKA_EC_POINT])[0])
        template = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_GENERIC_SECRET),
                    (PyKCS11.CKA_VALUE_LEN, 32), (PyKCS11.CKA_SENSITIVE, False), (PyKCS11.CKA_EXTRACTABLE, True)]

        def ecdh():
            secret = session.deriveKey(priv, template, PyKCS11.ECDH1_DERIVE_Mechanism(bytes.fromhex(peer_point_hex)))
            return session.getAttributeValue(secret, [PyKCS11.CKA_VALUE])[0]

        print(json.dumps({"model": lib.getTokenInfo(slot).model.strip(), "wrapped": wrapped,
                          "ec_point": ec_point.hex(), "ecdh_secret": attempt(ecdh)}))
    finally:
        session.logout()
        session.closeSession()


if __name__ == "__main__":
    main(*sys.argv[1:])
