"""The local server that stands in for GitHub Pages in page-weight and Lighthouse measurements."""

from __future__ import annotations

import gzip
import threading
import urllib.error
import urllib.request

from scripts import static_server


def test_text_is_sent_gzip_compressed_and_folders_redirect(tmp_path):
    page = "<!doctype html><title>x</title>" + "studies " * 2000
    (tmp_path / "studies").mkdir()
    (tmp_path / "studies" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(100))
    server = static_server.server(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        request = urllib.request.Request(base + "studies/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = response.read()
        assert gzip.decompress(body).decode("utf-8") == page and len(body) < len(page) / 10
        with urllib.request.urlopen(base + "studies/") as response:  # no gzip asked for: none sent
            assert response.headers["Content-Encoding"] is None and response.read().decode("utf-8") == page
        request = urllib.request.Request(base + "logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] is None
        with urllib.request.urlopen(base + "studies") as response:  # followed redirect to the folder address
            assert response.url == base + "studies/"
        try:
            urllib.request.urlopen(base + "missing/")
        except urllib.error.HTTPError as error:
            assert error.code == 404
        else:
            raise AssertionError("a missing page was served")
    finally:
        server.shutdown()
