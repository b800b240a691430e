#!/usr/bin/python3
"""Drive a PKCS#11 module through PyKCS11 (Debian's python3-pykcs11) the way a Python application would:
find the token by label, log in, generate an EC P-256 key pair on it, sign with it, and export the public
point. Prints one JSON object on stdout; the Java test checks the signatures with the JDK.

usage: pykcs11_ec_sign.py MODULE TOKEN_LABEL USER_PIN DATA_HEX
"""
import hashlib
import json
import sys

import PyKCS11
from pykcs11_token import find_token
from PyKCS11 import LowLevel as LL


def mechanism_names(lib, slot):
    """C_GetMechanismList by hand: PyKCS11 1.5.12's getMechanismList raises KeyError on mechanisms newer than
    its table (e.g. PKCS#11 3.1's CKM_AES_KEY_WRAP_PKCS7), which a 3.x token rightly reports."""
    raw = LL.ckintlist()
    rv = lib.lib.C_GetMechanismList(slot, raw)
    if rv != PyKCS11.CKR_OK:
        raise PyKCS11.PyKCS11Error(rv)
    return sorted(PyKCS11.CKM.get(raw[i], "0x%X" % raw[i]) for i in range(len(raw)))


def main(module, label, pin, data_hex):
    data = bytes.fromhex(data_hex)
    lib, slot = find_token(module, label)
    mechanisms = mechanism_names(lib, slot)

    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    session.login(pin)
    try:
        p256 = bytes.fromhex("06082a8648ce3d030107")  # DER OID prime256v1
        pub, priv = session.generateKeyPair(
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC),
             (PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_VERIFY, True), (PyKCS11.CKA_EC_PARAMS, p256),
             (PyKCS11.CKA_LABEL, "pykcs11"), (PyKCS11.CKA_ID, b"\x70\x79")],
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC),
             (PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_PRIVATE, True), (PyKCS11.CKA_SENSITIVE, True),
             (PyKCS11.CKA_SIGN, True), (PyKCS11.CKA_LABEL, "pykcs11"), (PyKCS11.CKA_ID, b"\x70\x79")],
            PyKCS11.Mechanism(PyKCS11.CKM_EC_KEY_PAIR_GEN))

        ec_params, ec_point = session.getAttributeValue(pub, [PyKCS11.CKA_EC_PARAMS, PyKCS11.CKA_EC_POINT])
        sensitive, extractable = session.getAttributeValue(priv, [PyKCS11.CKA_SENSITIVE, PyKCS11.CKA_EXTRACTABLE])
        result = {
            "mechanisms": mechanisms,
            "ec_params": bytes(ec_params).hex(),
            "ec_point": bytes(ec_point).hex(),
            "private_sensitive": bool(sensitive),
            # Raw CKM_ECDSA over a digest Python computed: what every token must support.
            "ecdsa_over_sha256": bytes(session.sign(priv, hashlib.sha256(data).digest(),
                                                    PyKCS11.Mechanism(PyKCS11.CKM_ECDSA))).hex(),
        }
        if "CKM_ECDSA_SHA256" in result["mechanisms"]:
            result["ecdsa_sha256"] = bytes(session.sign(priv, data,
                                                        PyKCS11.Mechanism(PyKCS11.CKM_ECDSA_SHA256))).hex()
        found = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_LABEL, "pykcs11")])
        result["private_keys_found_by_label"] = len(found)
    finally:
        session.logout()
        session.closeSession()
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:5])
