#!/usr/bin/python3
"""Single DES through PyKCS11 (Debian's python3-pykcs11), as an older Python application would use it: import
a known DES key, encrypt with CKM_DES_CBC and CKM_DES_CBC_PAD, decrypt the padded ciphertext back. Prints one
JSON object on stdout; the Java test compares the ciphertexts with OpenSSL's DES (legacy provider).

usage: pykcs11_des_cbc.py MODULE TOKEN_LABEL USER_PIN KEY_HEX IV_HEX DATA_HEX
"""
import json
import sys

import PyKCS11
from pykcs11_token import find_token


def main(module, label, pin, key_hex, iv_hex, data_hex):
    iv = bytes.fromhex(iv_hex)
    data = bytes.fromhex(data_hex)
    lib, slot = find_token(module, label)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
    session.login(pin)
    try:
        key = session.createObject(
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_DES),
             (PyKCS11.CKA_TOKEN, False), (PyKCS11.CKA_VALUE, bytes.fromhex(key_hex)),
             (PyKCS11.CKA_ENCRYPT, True), (PyKCS11.CKA_DECRYPT, True)])
        cbc = bytes(session.encrypt(key, data, PyKCS11.Mechanism(PyKCS11.CKM_DES_CBC, iv)))
        cbc_pad = bytes(session.encrypt(key, data[:-3], PyKCS11.Mechanism(PyKCS11.CKM_DES_CBC_PAD, iv)))
        back = bytes(session.decrypt(key, cbc_pad, PyKCS11.Mechanism(PyKCS11.CKM_DES_CBC_PAD, iv)))
        print(json.dumps({"des_cbc": cbc.hex(), "des_cbc_pad": cbc_pad.hex(), "decrypted": back.hex()}))
    finally:
        session.logout()
        session.closeSession()


if __name__ == "__main__":
    main(*sys.argv[1:])
