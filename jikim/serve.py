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
import urllib.parse
from pathlib import Path

from .config import load_course
from .errors import ContentError, Problems
from .pipeline import Options, build
from .plan import HTML_KINDS

CLIENT = """
(function () {
  var seen = null, version = -1;
  function show(errors) {
    var box = document.getElementById("jikim-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) { box = document.createElement("pre"); box.id = "jikim-errors"; document.body.prepend(box); }
    box.style.cssText = "position:fixed;z-index:99;inset:0 0 auto 0;margin:0;padding:12px;background:#7a0000;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:60vh;overflow:auto";
    box.textContent = errors.join("\\n");
  }
  function poll() {  // the server answers when something changed (or after 25 s): no polling delay
    fetch("/__jikim__/state?v=" + version, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen && !s.errors.length) return location.reload();
      seen = s.build; version = s.version; show(s.errors); poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


class State:
    """What the open pages wait on: the number of the last good build of the pages, the errors."""

    def __init__(self):
        self.build = 0
        self.errors: list[str] = []
        self.version = 0
        self.changed = threading.Condition()

    def publish(self, errors: list[str], built: bool = False) -> None:
        with self.changed:
            self.errors = errors
            self.build += built
            self.version += 1
            self.changed.notify_all()

    def after(self, version: int, timeout: float = 25.0) -> dict:
        """The state once it differs from `version` (a long poll), or as it is after `timeout`."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout)
            return {"build": self.build, "errors": self.errors, "version": self.version}


class Interrupted(Exception):
    """A source changed while the PDFs were rendering: start again from the pages."""


def _handler(out: Path, state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            if self.path.startswith("/__jikim__/state"):
                seen = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("v", [""])[0]
                version = int(seen) if seen.lstrip("-").isdigit() else -1
                return self._send(json.dumps(state.after(version)).encode(), "application/json")
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


class Server(http.server.ThreadingHTTPServer):
    """The preview server: a browser that closes a connection early is not an error to print."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def watch_plan(root: Path) -> list[tuple[list[Path], dict]]:
    """What serve watches: the source folders (the school's templates too), and course.yaml by its folder.

    course.yaml is watched through the project folder, not as a file: an editor that saves by
    writing a new file and renaming it over the old one (`sed -i`, many editors) replaces the
    file that a watch on the file itself would follow, and the watch would end.
    """
    folders = [root / "lessons", root / "templates", root / "data"]
    course = load_course(root / "course.yaml", Problems(root))
    if course and course.templates:
        folders.append(course.templates)
    folders = [f for f in dict.fromkeys(f.resolve() for f in folders) if f.is_dir()]
    course_file = str(root / "course.yaml")
    only_course = {"recursive": False, "watch_filter": lambda _change, path: path == course_file}
    return [(folders, {}), ([root], only_course)]


def rebuild(options: Options, state: State, pending: threading.Event, then=lambda: None) -> None:
    """Pages first (the browser reloads), then the PDFs, given up as soon as a source changes again."""
    pages = dataclasses.replace(options, selection=dataclasses.replace(options.selection, kinds=HTML_KINDS))
    ok = _build(pages, state, built=True)
    then()
    if not ok:
        return
    shown = options.progress or (lambda done, total: None)

    def progress(done: int, total: int) -> None:
        if pending.is_set():
            raise Interrupted
        shown(done, total)

    try:
        _build(dataclasses.replace(options, progress=progress), state)
    except Interrupted:
        print("changed again: the PDFs wait for the next build", file=sys.stderr)


def _build(options: Options, state: State, built: bool = False) -> bool:
    try:
        summary = build(options)
    except ContentError as exc:
        errors = [str(p) for p in exc.problems]
        for line in errors:
            print(line, file=sys.stderr)
        print(f"{len(errors)} error(s); the page shows the last good build.", file=sys.stderr)
        state.publish(errors)
        return False
    print(f"built {summary.built}, reused {summary.reused} in {summary.seconds:.1f} s", file=sys.stderr)
    state.publish([], built=built)
    return True


def serve(options: Options, port: int) -> int:
    import watchfiles

    root = options.root.resolve()
    options.out = (options.out or root / "output").resolve()
    options.out.mkdir(parents=True, exist_ok=True)
    state, pending, stop = State(), threading.Event(), threading.Event()

    def watch(paths, **kwargs) -> None:
        for _changes in watchfiles.watch(*paths, debounce=150, step=50, stop_event=stop, **kwargs):
            pending.set()

    for paths, kwargs in watch_plan(root):
        threading.Thread(target=watch, args=(paths,), kwargs=kwargs, daemon=True).start()
    server = Server(("127.0.0.1", port), _handler(options.out, state))

    def start() -> None:
        server_thread.start()
        print(f"serving {options.out} at http://127.0.0.1:{server.server_address[1]}/ — Ctrl+C to stop",
              file=sys.stderr)

    server_thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        rebuild(options, state, pending, then=start)  # the pages can be opened before the PDFs are done
        while True:
            if pending.wait(0.5):
                pending.clear()
                rebuild(options, state, pending)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if server_thread.is_alive():
            server.shutdown()
        server.server_close()
    return 0
