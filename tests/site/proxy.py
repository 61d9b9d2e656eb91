"""A small reverse proxy for the scale-out test: one address in front of several app servers,
round robin, as nginx's ``upstream`` block in docs/nginx-trdnav.conf does.

Written here rather than installing nginx because the test must know which server answered
each request (``X-Upstream``) and must be able to send a request to one chosen server through
the same front door (``X-Test-Upstream: 0``), and because it then runs on any machine that runs
the rest of the suite. What the app sees is the same as behind nginx: requests from the
proxy's address carrying ``X-Forwarded-For`` and ``X-Forwarded-Proto``.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "content-length"}
PIN = "X-Test-Upstream"


class Proxy:
    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = [urlsplit(u) for u in upstreams]
        self.served: Counter[int] = Counter()
        self._turn = itertools.cycle(range(len(upstreams)))
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def choose(self, pinned: str | None) -> int:
        with self._lock:
            index = int(pinned) if pinned is not None else next(self._turn)
            self.served[index] += 1
            return index

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def _forward(self) -> None:
                index = proxy.choose(self.headers.get(PIN))
                target = proxy.upstreams[index]
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers.pop(PIN, None)
                headers["X-Forwarded-For"] = self.client_address[0]
                headers["X-Forwarded-Proto"] = "http"
                upstream = http.client.HTTPConnection(
                    target.hostname or "127.0.0.1", target.port or 80, timeout=120
                )
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()
                    self.send_response(response.status)
                    for name, value in response.getheaders():
                        if name.lower() not in HOP_BY_HOP:
                            self.send_header(name, value)
                finally:
                    upstream.close()
                self.send_header("X-Upstream", str(index))
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        return Handler

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
