"""Playwright driving Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import contextlib
import shutil
import time

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


@contextlib.contextmanager
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll `expression` until it is true.

    Not `page.wait_for_function`: its polling calls `eval` inside the page, which a
    page whose Content-Security-Policy forbids 'unsafe-eval' (the deck) refuses, so it
    failed whenever the first check came too early. `page.evaluate` goes through the
    DevTools protocol, which the page's policy does not govern.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")  # the next frame
