"""The slide deck in a real browser, from file://, as a teacher with a clicker would use it."""

import pytest
from browser import chromium, wait_until


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def deck(browser, mini_out):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion="reduce")
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    context.on("page", lambda p: p.on("request", lambda r: requests.append(r.url)))
    page.goto((mini_out / "en/middle/blocks.slides.html").as_uri())
    yield page, requests
    context.close()
    assert all(url.startswith(("file://", "data:")) for url in requests), requests


def current(page) -> int:
    return int(page.evaluate("location.hash.slice(1)"))


def visible_slides(page) -> list:
    return page.eval_on_selector_all(".stage > .slide", "els => els.filter(e => !e.hidden).map(e => e.id)")


def test_keys_move_both_ways(deck):
    page, _ = deck
    assert current(page) == 1 and visible_slides(page) == ["slide-1"]
    for key, expected in [("ArrowRight", 2), ("Space", 3), ("PageDown", 4), ("ArrowLeft", 3), ("PageUp", 2),
                          ("End", 7), ("ArrowRight", 7), ("Home", 1), ("ArrowLeft", 1)]:
        page.keyboard.press(key)
        assert current(page) == expected, key
        assert visible_slides(page) == [f"slide-{expected}"]
    assert page.inner_text("#counter") == "1 / 7"


def test_fragment_survives_a_reload(deck):
    page, _ = deck
    page.keyboard.press("End")
    page.reload()
    assert current(page) == 7 and visible_slides(page) == ["slide-7"]


def test_swipe_moves_forward(deck):
    page, _ = deck
    page.evaluate("""() => {
      const t = (type, x) => document.dispatchEvent(new TouchEvent(type, {changedTouches: [new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300})]}));
      t('touchstart', 900); t('touchend', 300);
    }""")
    assert current(page) == 2


def test_notes_hidden_for_the_audience(deck):
    page, _ = deck
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # "Common section" holds NOTES-en
    assert "NOTES-en" not in page.inner_text("body")
    assert page.is_hidden("text=NOTES-en")


def test_slides_are_labelled_regions_and_changes_are_announced(deck):
    page, _ = deck
    roles = page.eval_on_selector_all(".stage > .slide", "els => els.map(e => e.getAttribute('role'))")
    assert set(roles) == {"region"}
    page.keyboard.press("End")
    assert page.inner_text("#live").startswith("7 / 7")


def test_type_is_large_enough_at_1280x720(deck):
    page, _ = deck
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    size = page.evaluate("""() => {
      const p = document.querySelector('#slide-3 .slide-body p');
      const scale = document.getElementById('stage').getBoundingClientRect().width / 1280;
      return parseFloat(getComputedStyle(p).fontSize) * scale;
    }""")
    assert size >= 28


def test_key_hint_shows_at_the_start_and_on_question_mark(deck):
    page, _ = deck
    assert page.is_visible("#deck-bar")
    page.keyboard.press("ArrowRight")
    assert page.is_hidden("#deck-bar"), "the hint is not projected over the lesson"
    page.keyboard.press("?")
    assert page.is_visible("#deck-bar")
    page.keyboard.press("?")
    assert page.is_hidden("#deck-bar")


def test_korean_breaks_between_words(deck):
    page, _ = deck
    assert page.evaluate("getComputedStyle(document.querySelector('#slide-3')).wordBreak") == "keep-all"


def test_answers_only_in_the_presenter_view(deck):
    page, _ = deck
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # "Outputs": an activity with nested answers, a discussion, its answers
    assert "DISCUSS-en" in page.inner_text("body")
    assert "ANSWERS-en" not in page.inner_text("body") and page.is_hidden("text=ANSWERS-en")
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    presenter = popup.value
    presenter.wait_for_load_state()
    wait_until(presenter, "document.body.classList.contains('presenter')")
    notes = presenter.inner_text("#p-notes")
    assert "ANSWERS-en" in notes and "NESTED-ANSWERS-en" in notes
    # the next-slide preview is drawn dark on white, not the presenter's light text
    color = presenter.evaluate("getComputedStyle(document.querySelector('#p-next .slide-body')).color")
    assert color in ("rgb(26, 26, 26)", "rgb(17, 17, 17)"), color


def test_presenter_view_in_step_both_ways(deck):
    page, _ = deck
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    presenter = popup.value
    presenter.wait_for_load_state()
    wait_until(presenter, "document.body.classList.contains('presenter')")
    assert current(presenter) == 3
    assert "NOTES-en" in presenter.inner_text("#p-notes")
    assert presenter.is_visible("#p-timer") and presenter.is_visible("#p-next")
    presenter.keyboard.press("ArrowRight")
    wait_until(page, "location.hash === '#4'")
    assert "NESTED-NOTES-MIDDLE-STAFF-en" in presenter.inner_text("#p-notes")
    page.keyboard.press("ArrowLeft")
    wait_until(presenter, "location.hash === '#3'")
    assert "NOTES-en" in presenter.inner_text("#p-notes")


def test_deck_is_one_self_contained_file(mini_out, tmp_path, browser):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "deck.html").write_bytes((mini_out / "en/middle/blocks.slides.html").read_bytes())
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((usb / "deck.html").as_uri())
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('#slide-3 img').naturalWidth") == 8
    box = page.evaluate("document.getElementById('stage').getBoundingClientRect().toJSON()")
    assert abs(box["width"] - 1024) < 1 and abs(box["height"] - 576) < 1, "letterboxed 16:9"
    assert not failed
    page.close()
