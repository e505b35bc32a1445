"""Cetak Biru: one YAML file per city -> smart-city masterplan books and a public site.

Pipeline modules, in order: load (YAML with positions) -> validate (shape, then meaning, into
`model` objects) -> derive (totals, roadmap) -> render -> publish. `pipeline.py` runs them.
"""

__version__ = "0.8.0"  # the one place: pyproject.toml reads it (tool.hatch.version), `--version` prints it
