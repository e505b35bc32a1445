"""Update the indexes (Daftar Isi, Tabel, Gambar) of DOCX files in LibreOffice and print their text.

Run by the *system* Python, which has LibreOffice's `uno` module (Debian: python3-uno):

    /usr/bin/python3 cetakbiru/lo_indexes.py a.docx b.docx ...

prints JSON: {path: [{"text": "entry\\tpage\\n..."}, ...]} with one item per index in document
order. The documents themselves are not modified: docx.py writes the cached field results, so
Word opens the book with its lists already filled and nothing to update. Standard library + uno
only: this file never runs inside the project's venv.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno  # noqa: E402  (system Python with python3-uno)
from com.sun.star.beans import PropertyValue  # noqa: E402
from com.sun.star.connection import NoConnectException  # noqa: E402


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(paths):
    profile = tempfile.mkdtemp(prefix="cb-lo-profile-")
    pipe = "cetakbiru_%d" % os.getpid()
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except NoConnectException:
                if proc.poll() is not None:
                    raise SystemExit("LibreOffice berhenti sebelum siap (kode %s)" % proc.returncode)
                time.sleep(0.1)
        if ctx is None:
            raise SystemExit("LibreOffice tidak siap dalam 30 detik")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        out = {}
        for path in paths:
            url = uno.systemPathToFileUrl(os.path.abspath(path))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True), _prop("ReadOnly", True)))
            if doc is None:
                raise SystemExit("LibreOffice tidak dapat membuka %s" % path)
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
                out[path] = {"indexes": items, "pages": doc.getCurrentController().PageCount}
            finally:
                doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge may drop while LibreOffice exits
            pass
        proc.wait(timeout=60)
        json.dump(out, sys.stdout, ensure_ascii=False)
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
