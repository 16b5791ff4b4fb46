"""The interface words: every language has every key, and every value is text."""

import yaml
from conftest import ROOT


def test_strings_are_text_in_every_language():
    table = yaml.safe_load((ROOT / "templates/strings.yaml").read_text())
    keys = {lang: set(words) for lang, words in table.items()}
    assert keys["ko"] == keys["en"], keys["ko"] ^ keys["en"]
    for lang, words in table.items():
        for key, value in words.items():
            values = value if isinstance(value, list) else [value]
            assert all(isinstance(v, str) and v.strip() for v in values), (lang, key, value)
