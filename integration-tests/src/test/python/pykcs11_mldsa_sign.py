#!/usr/bin/python3
"""A Python application using PKCS#11 3.2 post-quantum signatures through PyKCS11 (Debian's python3-pykcs11),
which predates them: the constants are passed as raw numbers, as such an application would. Generates an
ML-DSA-44 key pair on the token (CKA_PARAMETER_SET in the public template), signs with CKM_ML_DSA and prints
one JSON object with the public key (CKA_VALUE) and the signature; the Java test verifies with JDK 25.

usage: pykcs11_mldsa_sign.py MODULE TOKEN_LABEL USER_PIN DATA_HEX
"""
import json
import struct
import sys

import PyKCS11
from pykcs11_token import find_token

# PKCS#11 3.2 values (pkcs11t.h), unknown to PyKCS11's tables.
CKA_PARAMETER_SET = 0x61D
CKP_ML_DSA_44 = 1
CKM_ML_DSA_KEY_PAIR_GEN = 0x1C
CKM_ML_DSA = 0x1D


def main(module, label, pin, data_hex):
    data = bytes.fromhex(data_hex)
    lib, slot = find_token(module, label)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    session.login(pin)
    try:
        # PyKCS11 passes an attribute type it does not know as bytes: the CK_ULONG in native layout.
        pub, priv = session.generateKeyPair(
            [(CKA_PARAMETER_SET, struct.pack("=Q", CKP_ML_DSA_44)), (PyKCS11.CKA_TOKEN, True),
             (PyKCS11.CKA_VERIFY, True), (PyKCS11.CKA_LABEL, "mldsa")],
            [(PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_SIGN, True), (PyKCS11.CKA_LABEL, "mldsa")],
            mecha=PyKCS11.Mechanism(CKM_ML_DSA_KEY_PAIR_GEN, None))
        signature = bytes(session.sign(priv, data, PyKCS11.Mechanism(CKM_ML_DSA, None)))
        public_key = bytes(session.getAttributeValue(pub, [PyKCS11.CKA_VALUE])[0])
        print(json.dumps({"public_key": public_key.hex(), "signature": signature.hex()}))
    finally:
        session.logout()
        session.closeSession()


if __name__ == "__main__":
    main(*sys.argv[1:5])
