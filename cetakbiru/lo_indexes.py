"""Update the indexes (Daftar Isi, Tabel, Gambar) of DOCX files in LibreOffice and print their text.

Run by the *system* Python, which has LibreOffice's `uno` module (Debian: python3-uno):

    /usr/bin/python3 cetakbiru/lo_indexes.py a.docx b.docx ...

prints JSON: {path: {"indexes": [{"text": "entry\\tpage\\n..."}, ...], "pages": N, "statistics": {...}}}
with one item per index in document order, and LibreOffice's counts (pages, words...) for
docProps/app.xml. With `--serve` it keeps one LibreOffice for many documents: it reads a path per
line on its standard input and answers each with one line of JSON, that path's entry (or
{"error": "..."}), until its input ends. A build's worker process keeps one such server for all the
DOCX it builds (docx.Layout). The documents themselves are not modified: docx.py writes the cached field
results, so Word opens the book with its lists already filled and nothing to update. Standard
library + uno only: this file never runs inside the project's venv.

The LibreOffice profile is `<temporary folder>/cetakbiru-lo-<pid>-<random>` (LibreOffice's own
temporary files go inside it too), LibreOffice runs in its own process group, and SIGTERM (sent by
the kernel when the build that started this script dies) stops it and deletes the profile and its
pipes (a watchdog thread does the same when the main thread is blocked in LibreOffice); if this
script is killed outright, the next build's docx.sweep_profiles() does the same, knowing the pid
is gone.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import uno  # noqa: E402  (system Python with python3-uno)
from com.sun.star.beans import PropertyValue  # noqa: E402
from com.sun.star.connection import NoConnectException  # noqa: E402


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # run the cleanup below


def pipes(profile_url, pid):
    """The sockets a killed LibreOffice leaves in /tmp (osl: /tmp/OSL_PIPE_<uid>_<name>): the
    --accept pipe, and the single-instance pipe named after the MD5 of the profile URL in UTF-16,
    each byte in unpadded hex. Same rule in docx.sweep_profiles."""
    digest = "".join(f"{b:x}" for b in hashlib.md5(profile_url.encode("utf-16-le")).digest())
    return [f"/tmp/OSL_PIPE_{os.getuid()}_{name}" for name in (f"cetakbiru_{pid}", "SingleOfficeIPC_" + digest)]


def statistics(doc):
    """Pages, words, characters and paragraphs as LibreOffice counts them in its layout, for
    docProps/app.xml. Reading WordCount makes it count the whole document (the statistics it keeps
    are stale while the layout is still running), after which DocumentStatistics is complete. The
    pages are those it prints: its page count also holds the blank pages it inserts where a
    section restarts at an odd number after an odd page, which Word neither shows nor counts."""
    counted = {"WordCount": doc.WordCount, "CharacterCount": doc.CharacterCount,
               "ParagraphCount": doc.ParagraphCount}
    kept = {s.Name: s.Value for s in doc.getDocumentProperties().DocumentStatistics}
    printed = doc.getRendererCount(doc, (_prop("IsSkipEmptyPages", True),))
    return {**kept, **counted, "PageCount": printed}


def layout(desktop, path):
    """Lay one DOCX out, update its indexes twice, and return their text and the counts."""
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True), _prop("ReadOnly", True)))
    if doc is None:
        raise SystemExit(f"LibreOffice tidak dapat membuka {path}")
    try:
        indexes = doc.getDocumentIndexes()
        items = []
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        # a second pass: page numbers settle once every list has its final length
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        for i in range(indexes.getCount()):
            index = indexes.getByIndex(i)
            items.append({"title": index.Title, "text": index.getAnchor().getString()})
        return {"indexes": items, "pages": doc.getCurrentController().PageCount, "statistics": statistics(doc)}
    finally:
        doc.close(True)


def _office_pids(profile):
    """Every process whose command line names this profile: the LibreOffice of this script, found
    even when it was started a moment before a signal and its pid was never returned."""
    marker = os.path.basename(profile).encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if marker in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def _clean_up(profile, profile_url, proc):
    """Stop LibreOffice (its whole group, and anything else on the profile), delete the profile and
    its pipes. Safe to run twice, and from the watchdog thread while the main one is blocked."""
    if proc is not None and proc.poll() is None:
        try:  # soffice hands over to soffice.bin: stop the whole group
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    for pid in _office_pids(profile):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if proc is not None:
        try:
            proc.wait(timeout=10)
        except Exception:  # noqa: BLE001  (cleaning up: nothing more to do)
            pass
    for path in pipes(profile_url, os.getpid()):
        try:
            os.unlink(path)
        except OSError:
            pass
    shutil.rmtree(profile, ignore_errors=True)


def _watch(parent, started):
    """The parent died (the build was killed) but the main thread is blocked in a call into
    LibreOffice, where the SIGTERM handler cannot run: clean up from here and leave."""
    while os.getppid() == parent:
        time.sleep(0.5)
    time.sleep(2)  # the main thread's own cleanup (SIGTERM) usually ends the process by now
    _clean_up(*started)
    os._exit(128 + signal.SIGTERM)


def main(paths):
    signal.signal(signal.SIGTERM, _stop)
    parent = os.getppid()
    profile = tempfile.mkdtemp(prefix=f"cetakbiru-lo-{os.getpid()}-")
    pipe = f"cetakbiru_{os.getpid()}"
    profile_url = uno.systemPathToFileUrl(profile)
    started = [profile, profile_url, None]  # what _clean_up needs; the process once it is known
    threading.Thread(target=_watch, args=(parent, started), daemon=True).start()
    try:
        os.mkdir(os.path.join(profile, "tmp"))
        started[2] = proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
             "-env:UserInstallation=" + profile_url,
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env=dict(os.environ, TMPDIR=os.path.join(profile, "tmp")))
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if proc.poll() is not None:
                    raise SystemExit(f"LibreOffice berhenti sebelum siap (kode {proc.returncode})") from None
                time.sleep(0.1)
        if ctx is None:
            raise SystemExit("LibreOffice tidak siap dalam 30 detik")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        if os.environ.get("CETAKBIRU_FAULT") == "lo-ready":  # tests: the build dies while LibreOffice works
            # the build's main process (a worker's pid is not the build's), else whoever started this
            os.kill(int(os.environ.get("CETAKBIRU_BUILD_PID") or os.getppid()), signal.SIGKILL)
        if paths == ["--serve"]:
            for line in sys.stdin:
                path = line.rstrip("\n")
                try:
                    answer = layout(desktop, path)
                except SystemExit as e:  # this document could not be opened: say so, keep serving
                    answer = {"error": str(e.code)}
                sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            out = None
        else:
            out = {path: layout(desktop, path) for path in paths}
        try:
            desktop.terminate()
        except Exception:  # the bridge may drop while LibreOffice exits
            pass
        proc.wait(timeout=60)
        if out is not None:
            json.dump(out, sys.stdout, ensure_ascii=False)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # finish cleaning up
        _clean_up(*started)


if __name__ == "__main__":
    main(sys.argv[1:])
