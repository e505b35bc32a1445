"""How a long build shows its progress, in Indonesian: cities done, books per second, the time
left and the failures so far. A bar (rich) on a terminal; on anything else (a CI log, a pipe) a
plain line at most every few seconds and one for each failure; nothing under `--quiet`.

The books step (books.py) calls `begin`, then `book` for each book kept or made and `city` for
each city finished, then `end`.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from . import fmt


class Silent:
    """No display (`--quiet`, and library callers)."""

    def begin(self, cities: int) -> None:
        self.total, self.cities, self.books, self.made, self.failures = cities, 0, 0, 0, 0
        self.started = time.monotonic()

    def book(self, city: str, title: str, *, fresh: bool) -> None:
        self.books += 1
        self.made += fresh

    def city(self, slug: str, *, failed: str | None) -> None:
        self.cities += 1
        self.failures += failed is not None

    def end(self) -> None:
        pass

    def summary(self) -> str:
        """'12/514 kota, 3,1 buku/detik, sisa ±2 menit, 1 gagal'"""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.made / elapsed
        parts = [f"{self.cities}/{self.total} kota", f"{fmt.angka(rate, 1)} buku/detik"]
        if 0 < self.cities < self.total:
            parts.append(f"sisa ±{_duration(elapsed / self.cities * (self.total - self.cities))}")
        parts.append(f"{self.failures} gagal")
        return ", ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} detik"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} menit"
    return f"{fmt.angka(seconds / 3600, 1)} jam"


class Lines(Silent):
    """Plain lines for logs: the state at most every `every` seconds, and each failure at once."""

    def __init__(self, stream: TextIO, every: float = 10.0):
        self.stream, self.every = stream, every

    def begin(self, cities: int) -> None:
        super().begin(cities)
        self.said = self.started

    def city(self, slug: str, *, failed: str | None) -> None:
        super().city(slug, failed=failed)
        now = time.monotonic()
        if failed is not None:
            print(f"Buku {slug} gagal dibuat ({self.summary()}).", file=self.stream, flush=True)
        elif now - self.said >= self.every and self.cities < self.total:
            print(f"Buku: {self.summary()}.", file=self.stream, flush=True)
        else:
            return
        self.said = now


class Bar(Silent):
    """A progress bar on a terminal (rich), with the rate, the time left and the failures."""

    def __init__(self, stream: TextIO):
        from rich.console import Console

        self.console = Console(file=stream)

    def begin(self, cities: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        super().begin(cities)
        self.bar = Progress(TextColumn("Buku"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("kota · {task.fields[info]}"), console=self.console, transient=True)
        self.task = self.bar.add_task("buku", total=cities, info="")
        self.bar.start()

    def book(self, city: str, title: str, *, fresh: bool) -> None:
        super().book(city, title, fresh=fresh)
        self._show()

    def city(self, slug: str, *, failed: str | None) -> None:
        super().city(slug, failed=failed)
        if failed is not None:
            self.bar.console.print(f"Buku {slug} gagal dibuat.")
        self._show()

    def _show(self) -> None:
        info = ", ".join(self.summary().split(", ")[1:])
        self.bar.update(self.task, completed=self.cities, info=info)

    def end(self) -> None:
        if hasattr(self, "bar"):
            self.bar.stop()


def for_stream(stream: TextIO = sys.stderr, *, quiet: bool = False) -> Silent:
    """The display that suits where the build's messages go."""
    if quiet:
        return Silent()
    return Bar(stream) if stream.isatty() else Lines(stream)
