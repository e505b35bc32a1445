#!/usr/bin/env python3
"""Cetak Biru: `python3 build.py --help`. Sets up .venv on first use, then runs the CLI."""

import sys

from cetakbiru import bootstrap


def run() -> int:
    # books (the main job) need LibreOffice and poppler; authoring commands and help need nothing but Python
    authoring = len(sys.argv) > 1 and (sys.argv[1] in ("check", "new", "schema")
                                       or any(a in ("-h", "--help", "--version") for a in sys.argv[1:]))
    bootstrap.ensure("requirements.txt", system=not authoring)

    from cetakbiru.cli import main  # after the venv is in place

    return main()


# The guard matters: the build's worker processes (cetakbiru/tasks.py) start by importing this file.
if __name__ == "__main__":
    sys.exit(run())
