#!/usr/bin/env python3
"""Lazy Koala lab load generator: open-loop requests at a fixed rate to the entry services, at most
max_in_flight at once (requests beyond that are skipped, so the load stays bounded)."""
import json, socket, sys, threading, time

cfg = json.loads(sys.argv[1])
in_flight = threading.BoundedSemaphore(cfg.get("max_in_flight", 32))


def request(t):
    try:
        s = socket.create_connection((t["host"], t["port"]), timeout=5)
        try:
            body = b"q" * t.get("request_bytes", 500)
            s.sendall(b"POST / HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            while s.recv(65536):
                pass
        finally:
            s.close()
    except OSError:
        pass
    finally:
        in_flight.release()


def drive(t):
    interval = 1.0 / t["rps"]
    nxt = time.time()
    end = time.time() + cfg["duration_s"]
    while time.time() < end:
        nxt += interval
        if in_flight.acquire(blocking=False):
            threading.Thread(target=request, args=(t,), daemon=True).start()
        delay = nxt - time.time()
        if delay > 0:
            time.sleep(delay)
        else:
            nxt = time.time()


threads = [threading.Thread(target=drive, args=(t,)) for t in cfg["targets"]]
for th in threads:
    th.start()
for th in threads:
    th.join()
