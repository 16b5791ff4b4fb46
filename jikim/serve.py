"""python build.py serve: build, serve output/ on localhost, rebuild on change, reload the page.

The reload script and the error overlay are added to pages as they are served; the files
in output/ stay exactly as `build` writes them.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import re
import sys
import threading
from pathlib import Path

from .errors import ContentError
from .pipeline import Options, build
from .plan import HTML_KINDS

CLIENT = """
(function () {
  var seen = null;
  function show(errors) {
    var box = document.getElementById("jikim-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) { box = document.createElement("pre"); box.id = "jikim-errors"; document.body.prepend(box); }
    box.style.cssText = "position:fixed;z-index:99;inset:0 0 auto 0;margin:0;padding:12px;background:#7a0000;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:60vh;overflow:auto";
    box.textContent = errors.join("\\n");
  }
  function poll() {
    fetch("/__jikim__/state", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen && !s.errors.length) location.reload();
      seen = s.build; show(s.errors);
    }).catch(function () {}).then(function () { setTimeout(poll, 400); });
  }
  poll();
})();
"""


class State:
    def __init__(self):
        self.build = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()


def _handler(out: Path, state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            if self.path.startswith("/__jikim__/state"):
                return self._send(json.dumps({"build": state.build, "errors": state.errors}).encode(),
                                  "application/json")
            if self.path.startswith("/__jikim__/client.js"):
                return self._send(CLIENT.encode(), "text/javascript")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                html = path.read_text(encoding="utf-8")
                html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
                html = html.replace("</body>", '<script src="/__jikim__/client.js"></script></body>')
                return self._send(html.encode(), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def rebuild(options: Options, state: State) -> None:
    """Pages first (the browser reloads), then the PDFs."""
    pages = dataclasses.replace(options, selection=dataclasses.replace(options.selection, kinds=HTML_KINDS))
    if _build(pages, state):
        state.build += 1
        _build(options, state)


def _build(options: Options, state: State) -> bool:
    try:
        summary = build(options)
    except ContentError as exc:
        state.errors = [str(p) for p in exc.problems]
        for line in state.errors:
            print(line, file=sys.stderr)
        print(f"{len(state.errors)} error(s); the page shows the last good build.", file=sys.stderr)
        return False
    state.errors = []
    print(f"built {summary.built}, reused {summary.reused} in {summary.seconds:.1f} s", file=sys.stderr)
    return True


def serve(options: Options, port: int) -> int:
    import watchfiles

    root = options.root.resolve()
    options.out = (options.out or root / "output").resolve()
    state = State()
    rebuild(options, state)
    options.out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(options.out, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {options.out} at http://127.0.0.1:{server.server_address[1]}/ — Ctrl+C to stop", file=sys.stderr)
    watched = [p for p in (root / "lessons", root / "templates", root / "data", root / "course.yaml") if p.exists()]
    try:
        for _changes in watchfiles.watch(*watched, debounce=150, step=50):
            rebuild(options, state)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
