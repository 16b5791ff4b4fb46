"""Jikim: Markdown lessons → classroom materials (pages, handouts, decks, guides, letters)."""

__version__ = "0.1.0"
