#!/usr/bin/env python3
"""Run every test: `python3 test.py [pytest options]`. Sets up .venv with the pinned test
dependencies on first use, exactly as CI does, then runs pytest with the network denied: in a
network namespace of its own whose only interface is loopback (the browser tests and the canary
servers use 127.0.0.1), so no test, tool or city file can reach anything else."""

import os
import shutil
import subprocess
import sys

from cetakbiru import bootstrap


def main() -> int:
    bootstrap.ensure("requirements-dev.txt", tests=True)

    if os.environ.get("CETAKBIRU_OFFLINE") != "1":
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        unshare = ["unshare", "--net", *([] if root else ["--map-root-user"])]
        ip = shutil.which("ip") or "ip"
        probe = subprocess.run([*unshare, ip, "link", "set", "lo", "up"], capture_output=True, text=True)
        if probe.returncode != 0:
            sys.exit("Tes dijalankan tanpa jaringan (namespace jaringan sendiri), tetapi `unshare --net` gagal:\n"
                     f"{probe.stderr.strip()}\nJalankan sebagai root, atau aktifkan user namespace "
                     "(sysctl kernel.unprivileged_userns_clone=1).")
        env = {**os.environ, "CETAKBIRU_OFFLINE": "1"}
        script = f'"{ip}" link set lo up && exec "$@"'
        os.execvpe(unshare[0], [*unshare, "sh", "-c", script, "sh", sys.executable, *sys.argv], env)

    import pytest  # after the venv is in place

    return pytest.main(["-q", *sys.argv[1:]])


# The guard matters: a build's worker processes (cetakbiru/tasks.py) start by importing the main
# script, and a test that builds with several processes would otherwise run the suite again.
if __name__ == "__main__":
    sys.exit(main())
