"""Serve a built site the way GitHub Pages does for what page speed depends on: gzip-compressed text files and
its cache header, so local Lighthouse runs and page-weight measurements see what readers download.

Reads: the folder given (default site/). Writes: nothing. Usage: python -m scripts.static_server [--port 8140] [DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import sys
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".atom", ".csv", ".txt", ".map")


@functools.lru_cache(maxsize=4096)
def _compressed(path: Path, mtime: float) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirects to the address with a slash, as GitHub Pages does
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSIBLE \
                or not path.is_file():
            return super().send_head()
        body = _compressed(path, path.stat().st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def server(directory: str | Path, port: int) -> http.server.ThreadingHTTPServer:
    """A server for `directory` on 127.0.0.1:`port` (0: any free port); the caller runs serve_forever()."""
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(directory)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.static_server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("directory", nargs="?", default="site")
    args = parser.parse_args(argv)
    with server(args.directory, args.port) as running:
        running.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
