#!/usr/bin/env python3
"""A hostile HSM for check-net: TLS 1.3 + ALPN h2, answers the connect proof (the health check, stream 1) properly,
then answers the next call as SCENARIO says:
  huge     a gRPC length prefix of 2 GiB        reset    RST_STREAM INTERNAL_ERROR
  garbage  bytes that are not HTTP/2            silent   nothing at all (the call's deadline must end it)
  badproto a well-framed answer that is not a jhsm.v1.Response
  rst      resets the TCP connection right after the connect proof (the client's next write meets a dead socket)
  ping     PINGs the idle client after the connect proof, as the node pings idle connections; answers the next
           call with an empty (valid) Response if the PING was acknowledged before it, else resets its stream
Usage: hostile_h2.py CERT KEY PORTFILE SCENARIO  (serves one connection, writes its port to PORTFILE first)."""
import os, socket, ssl, struct, sys, time

cert, key, portfile, scenario = sys.argv[1:5]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
ctx.set_alpn_protocols(["h2"])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
srv.settimeout(60)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
conn = ctx.wrap_socket(srv.accept()[0], server_side=True)
conn.settimeout(30)

def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload

def literal(name, value):
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value

def read_exact(n):
    b = b""
    while len(b) < n:
        chunk = conn.recv(n - len(b))
        if not chunk:
            sys.exit(0)
        b += chunk
    return b

read_exact(24)                         # the client's preface
conn.sendall(frame(4, 0, 0))           # our SETTINGS
STATUS_200 = b"\x88"
acked = False
while True:
    head = read_exact(9)
    length, kind, flags, stream = struct.unpack(">I", b"\x00" + head[:3])[0], head[3], head[4], struct.unpack(">I", head[5:])[0] & 0x7fffffff
    read_exact(length)
    if kind == 6 and flags & 1:
        acked = True
    if kind == 4 and not flags & 1:
        conn.sendall(frame(4, 1, 0))   # SETTINGS ACK
    if kind != 1:
        continue
    if stream == 1:                    # the connect proof: any gRPC answer will do
        conn.sendall(frame(1, 0x5, 1, STATUS_200 + literal(b"grpc-status", b"0")))
        if scenario == "ping":
            time.sleep(0.3)            # the client is idle now: the connect proof's reading is over
            conn.sendall(frame(6, 0, 0, b"jhsmping"))
        if scenario == "rst":
            time.sleep(0.5)
            raw = conn
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            raw.close()
            time.sleep(5)
            sys.exit(0)
    elif scenario == "huge":
        conn.sendall(frame(1, 0x4, stream, STATUS_200) + frame(0, 0, stream, b"\x00\x7f\xff\xff\xff"))
    elif scenario == "reset":
        conn.sendall(frame(3, 0, stream, struct.pack(">I", 2)))
    elif scenario == "garbage":
        conn.sendall(b"\xde\xad\xbe\xef not HTTP/2 at all " * 8)
    elif scenario == "badproto":
        body = b"\xff\xff\xff"
        conn.sendall(frame(1, 0x4, stream, STATUS_200) + frame(0, 0, stream, b"\x00" + struct.pack(">I", len(body)) + body)
                     + frame(1, 0x5, stream, literal(b"grpc-status", b"0")))
    elif scenario == "ping" and acked:
        conn.sendall(frame(1, 0x4, stream, STATUS_200) + frame(0, 0, stream, b"\x00\x00\x00\x00\x00")
                     + frame(1, 0x5, stream, literal(b"grpc-status", b"0")))
    elif scenario == "ping":
        conn.sendall(frame(3, 0, stream, struct.pack(">I", 2)))
    # silent: nothing
    if stream != 1:
        time.sleep(5)
        sys.exit(0)
