"""Jikim's command line: python build.py [build|check|serve|new] … (see README.md)."""

from jikim.cli import main

raise SystemExit(main())
