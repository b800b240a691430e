"""What the PyKCS11 test scripts share: loading the module and finding the token by its label."""
import PyKCS11


def find_token(module, label):
    """The loaded library and the slot whose token carries the label."""
    lib = PyKCS11.PyKCS11Lib()
    lib.load(module)
    slot = next(s for s in lib.getSlotList(tokenPresent=True)
                if lib.getTokenInfo(s).label.strip() == label)
    return lib, slot
