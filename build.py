#!/usr/bin/env python3
"""Cetak Biru: `python3 build.py --help`. Sets up .venv on first use, then runs the CLI."""

import sys

from cetakbiru import bootstrap

bootstrap.ensure("requirements.txt")

from cetakbiru.cli import main  # noqa: E402  (after the venv is in place)

sys.exit(main())
