"""Serves the API with the standard library's WSGI server: `python3 -m src.serve` (PORT, default 8000)."""

import os
from wsgiref.simple_server import WSGIRequestHandler, make_server

from src.api.main import app


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    with make_server("0.0.0.0", port, app, handler_class=QuietHandler) as server:
        print(f"serving on :{port}", flush=True)
        server.serve_forever()
