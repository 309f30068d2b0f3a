"""``timeline sources check`` on 500 sources over 20 hosts, with the default politeness.

    python bench/sources.py [--sources 500] [--hosts 20] [--json bench/sources.json]

The hosts are 127.0.0.1 … 127.0.0.20 (all loopback on Linux), each a small web server in
one subprocess, so that the checker's event loop does not share a process with them. Every
page answers 200 with an HTML title, so each link costs a HEAD and a GET (for the soft-404
title check). The site is generated in a temporary folder; the check runs as a user runs
it (``python -m generator sources check SITE --older-than 0``), with ``[sources]`` holding
only ``allow_private = true`` (loopback hosts are refused by default): delay, connections
per host and concurrency are the defaults.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVER = r'''
import sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"<!doctype html><title>A report</title><p>Text.</p>"

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        if body:
            self.wfile.write(PAGE)
    def do_HEAD(self): self._send(False)
    def do_GET(self): self._send(True)

ports = []
for n in range(1, int(sys.argv[1]) + 1):
    server = ThreadingHTTPServer((f"127.0.0.{n}", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ports.append(server.server_address[1])
print(" ".join(map(str, ports)), flush=True)
sys.stdin.read()
'''


def make_site(folder: Path, ports: list[int], count: int) -> None:
    (folder / "timeline.toml").write_text(  # local hosts: allowed as an intranet is
        'title = "Bench"\n[sources]\nallow_private = true\n', "utf-8")
    events = folder / "content" / "events"
    events.mkdir(parents=True)
    for i in range(count):
        host = i % len(ports)
        url = f"http://127.0.0.{host + 1}:{ports[host]}/report/{i}"
        (events / f"e{i:04d}.md").write_text(
            f"---\ntitle: Event {i}\ndate: 2017-09-11\ntags: [bench]\nsources:\n"
            f"  - publisher: Host {host}\n    url: {url}\n    published: 2017-10-03\n---\n"
            "Body.\n", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(args.hosts)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline() if server.stdout else ""
        ports = [int(p) for p in line.split()]
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp)
            make_site(site, ports, args.sources)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "generator", "sources", "check",
                                   str(site), "--older-than", "0"], cwd=ROOT,
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - started
            lock = json.loads((site / "content/sources.lock.json").read_text("utf-8"))
    finally:
        server.kill()
        server.wait()
    statuses = sorted({v["status"] for v in lock["links"].values()})
    result = {"sources": args.sources, "hosts": args.hosts, "seconds": round(seconds, 2),
              "exit": done.returncode, "summary": done.stdout.strip().splitlines()[-1],
              "statuses": statuses}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    return 0 if done.returncode == 0 and statuses == ["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
