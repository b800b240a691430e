#!/usr/bin/env python3
"""Rewrites a proto3 file as the wire-identical proto2 file that protoc-c 1.4 (Debian 12) compiles.

That protoc-c refuses proto3 `optional`. In proto2 every singular field outside a oneof is `optional`
(presence explicit: has_x), repeated scalars are declared packed as proto3 packs them, and package,
message and field names and numbers stay, so the bytes on the wire are exactly the node's.
Usage: proto3to2.py IN.proto OUT.proto
"""
import re
import sys

SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
           "fixed64", "sfixed32", "sfixed64", "bool"}


def convert(text):
    text = re.sub(r"//[^\n]*", "", text)
    out, stack, i = [], [], 0
    # statements end at ';', blocks open at '{' and close at '}'
    for m in re.finditer(r"[^;{}]*[;{}]", text, re.S):
        chunk = m.group(0)
        body, end = chunk[:-1], chunk[-1]
        stmt = body.strip()
        if end == "{":
            kind = stmt.split()[0] if stmt else ""
            stack.append(kind)
            out.append(body + "{")
        elif end == "}":
            stack.pop()
            out.append(body + "}")
        else:
            if stmt.startswith("syntax"):
                out.append('\nsyntax = "proto2";')
                continue
            if stmt.startswith("option java_"):
                continue
            words = stmt.split()
            in_message = bool(stack) and stack[-1] == "message"
            if in_message and words and "=" in stmt and words[0] not in ("option", "reserved", "extensions") \
                    and not words[0].startswith("map<"):
                if words[0] == "repeated":
                    if words[1] in SCALARS and "[" not in stmt:
                        stmt += " [packed = true]"
                elif words[0] != "optional":
                    stmt = "optional " + stmt
                out.append("\n  " + stmt + ";")
            else:
                out.append(body + ";")
    return "".join(out) + "\n"


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        converted = convert(f.read())
    with open(sys.argv[2], "w") as f:
        f.write(converted)
