#!/usr/bin/env python3
"""Lazy Koala lab service: one HTTP/1.0 server (one request per connection) that calls its
downstream services along the topology. Faults are switched through a JSON control file the lab
rewrites; the service polls it. Standard library only."""
import json, os, random, select, socket, struct, sys, threading, time

cfg = json.loads(sys.argv[1])
ctl_path = cfg["control"]
ctl = {}
leak = []


def poll_control():
    global ctl
    last = None
    while True:
        try:
            with open(ctl_path) as f:
                text = f.read()
            if text != last:
                ctl = json.loads(text) if text.strip() else {}
                last = text
        except (OSError, ValueError):
            pass
        time.sleep(0.2)


def burner():
    while True:
        if ctl.get("burn"):
            end = time.time() + 0.05
            while time.time() < end:
                pass
        else:
            time.sleep(0.1)


def leaker():
    while True:
        mb = ctl.get("leak_mb_per_s", 0)
        if mb:
            leak.append(bytearray(int(mb * 1024 * 1024)))
        elif leak:
            leak.clear()
        time.sleep(1.0)


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return body


def call(c):
    try:
        s = socket.create_connection((c["host"], c["port"]), timeout=c.get("timeout_s", 2.0))
        try:
            body = b"q" * c.get("request_bytes", 200)
            s.sendall(b"POST / HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            ok = False
            first = True
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                if first:
                    ok = chunk.startswith(b"HTTP/1.0 200")
                    first = False
            return ok
        finally:
            s.close()
    except OSError:
        return False


def handle(conn, slots):
    try:
        conn.settimeout(10)
        if read_request(conn) is None:
            return
        if ctl.get("reset"):
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        lat = cfg.get("latency_ms", 5) * random.lognormvariate(0, 0.3) + ctl.get("delay_ms", 0)
        time.sleep(lat / 1000.0)
        ok = True
        for c in cfg.get("calls", []):
            if random.random() < c.get("probability", 1.0):
                for _ in range(c.get("fanout", 1)):
                    ok = call(c) and ok
        body = b"r" * cfg.get("response_bytes", 1000)
        status = b"200 OK" if ok else b"502 Bad Gateway"
        conn.sendall(b"HTTP/1.0 " + status + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    except OSError:
        pass
    finally:
        conn.close()
        slots.release()


def serve():
    listener = None
    slots = threading.BoundedSemaphore(cfg.get("max_concurrency", 64))
    while True:
        if ctl.get("refuse"):
            if listener is not None:
                listener.close()
                listener = None
            time.sleep(0.1)
            continue
        if listener is None:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((cfg["ip"], cfg["port"]))
            listener.listen(cfg.get("backlog", 128))
        r, _, _ = select.select([listener], [], [], 0.2)
        if not r:
            continue
        delay = ctl.get("accept_delay_ms", 0)
        if delay:
            time.sleep(delay / 1000.0)
        slots.acquire()
        try:
            conn, _ = listener.accept()
        except OSError:
            slots.release()
            continue
        threading.Thread(target=handle, args=(conn, slots), daemon=True).start()


for target in (poll_control, burner, leaker):
    threading.Thread(target=target, daemon=True).start()
serve()
