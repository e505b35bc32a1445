#!/usr/bin/env python3
"""Run every test: `python3 test.py [pytest options]`. Sets up .venv with the pinned test
dependencies on first use, exactly as CI does."""

import sys

from cetakbiru import bootstrap

bootstrap.ensure("requirements-dev.txt", tests=True)

import pytest  # noqa: E402  (after the venv is in place)

sys.exit(pytest.main(["-q", *sys.argv[1:]]))
