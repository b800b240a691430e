#!/usr/bin/python3
"""The key rules a CloudHSM application meets, through PyKCS11 (Debian's python3-pykcs11): a key with CKA_PRIVATE
FALSE, the defaults of a key made from a minimal template, an attribute CloudHSM does not support, and AES key
wrapping with CloudHSM's vendor mechanisms and the standard ones. Prints one JSON object on stdout: each step's
result (hex, true/false) or the name of the CK_RV that refused it; the Java test judges them per profile and checks
the wrapped bytes with Bouncy Castle.

usage: pykcs11_cloudhsm_keys.py MODULE TOKEN_LABEL USER_PIN KEK_HEX TARGET_HEX
"""
import json
import sys

import PyKCS11
from pykcs11_token import find_token

CKM_CLOUDHSM_AES_KEY_WRAP_NO_PAD = 0x80000000 | 0x2109
CKM_CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD = 0x80000000 | 0x210A
CKM_CLOUDHSM_AES_KEY_WRAP_ZERO_PAD = 0x80000000 | 0x216F
CKM_AES_KEY_WRAP_KWP = 0x210B
DEFAULT_IV = bytes.fromhex("a6a6a6a6a6a6a6a6")


def attempt(step):
    """The step's result (bytes as hex, booleans as they are), or the name of the CK_RV that refused it."""
    try:
        out = step()
        return out if isinstance(out, bool) else bytes(out).hex()
    except PyKCS11.PyKCS11Error as e:
        return PyKCS11.CKR.get(e.value, "0x%X" % e.value)


def main(module, label, pin, kek_hex, target_hex):
    lib, slot = find_token(module, label)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    session.login(pin)
    try:
        aes = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_AES)]
        gen = PyKCS11.Mechanism(PyKCS11.CKM_AES_KEY_GEN)
        out = {"model": lib.getTokenInfo(slot).model.strip()}

        out["not_private"] = attempt(lambda: session.getAttributeValue(
            session.generateKey(aes + [(PyKCS11.CKA_VALUE_LEN, 16), (PyKCS11.CKA_PRIVATE, False)], gen),
            [PyKCS11.CKA_PRIVATE])[0])
        minimal = session.generateKey(aes + [(PyKCS11.CKA_VALUE_LEN, 16)], gen)
        encrypt, extractable, private = session.getAttributeValue(
            minimal, [PyKCS11.CKA_ENCRYPT, PyKCS11.CKA_EXTRACTABLE, PyKCS11.CKA_PRIVATE])
        out.update({"default_encrypt": bool(encrypt), "default_extractable": bool(extractable),
                    "default_private": bool(private)})
        out["start_date"] = attempt(lambda: session.getAttributeValue(
            session.generateKey(aes + [(PyKCS11.CKA_VALUE_LEN, 16), (PyKCS11.CKA_START_DATE, b"20260101")], gen),
            [PyKCS11.CKA_VALUE_LEN])[0] == 16)

        kek = session.createObject(aes + [(PyKCS11.CKA_VALUE, bytes.fromhex(kek_hex)), (PyKCS11.CKA_WRAP, True),
                                          (PyKCS11.CKA_UNWRAP, True), (PyKCS11.CKA_TOKEN, False)])
        target = session.createObject(aes + [(PyKCS11.CKA_VALUE, bytes.fromhex(target_hex)),
                                             (PyKCS11.CKA_EXTRACTABLE, True), (PyKCS11.CKA_TOKEN, False)])
        unwrapped = aes + [(PyKCS11.CKA_SENSITIVE, False), (PyKCS11.CKA_EXTRACTABLE, True), (PyKCS11.CKA_TOKEN, False)]

        def wrap_and_back(name, mechanism):
            wrapped = attempt(lambda: session.wrapKey(kek, target, mechanism))
            out[name] = wrapped
            if wrapped.startswith("CKR_"):
                return
            out[name + "_unwrapped"] = attempt(lambda: session.getAttributeValue(
                session.unwrapKey(kek, bytes.fromhex(wrapped), unwrapped, mechanism), [PyKCS11.CKA_VALUE])[0])

        wrap_and_back("zero_pad", PyKCS11.Mechanism(CKM_CLOUDHSM_AES_KEY_WRAP_ZERO_PAD, None))
        wrap_and_back("no_pad", PyKCS11.Mechanism(CKM_CLOUDHSM_AES_KEY_WRAP_NO_PAD, None))
        wrap_and_back("no_pad_default_iv", PyKCS11.Mechanism(CKM_CLOUDHSM_AES_KEY_WRAP_NO_PAD, DEFAULT_IV))
        wrap_and_back("no_pad_other_iv", PyKCS11.Mechanism(CKM_CLOUDHSM_AES_KEY_WRAP_NO_PAD, bytes(8)))
        wrap_and_back("zero_pad_iv", PyKCS11.Mechanism(CKM_CLOUDHSM_AES_KEY_WRAP_ZERO_PAD, bytes.fromhex("a65959a6")))
        wrap_and_back("pkcs5_pad", PyKCS11.Mechanism(CKM_CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, None))
        wrap_and_back("kwp", PyKCS11.Mechanism(CKM_AES_KEY_WRAP_KWP, None))
        print(json.dumps(out))
    finally:
        session.logout()
        session.closeSession()


if __name__ == "__main__":
    main(*sys.argv[1:])
