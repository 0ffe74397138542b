"""Executes notebooks in order under a Jupyter kernel, as a real client does, and writes the executed copies.

Usage: /usr/bin/python3 execute_notebooks.py KERNEL_NAME OUT_DIR NOTEBOOK...

Each notebook runs in a fresh kernel whose working directory is the notebook's folder (as VS Code and
Jupyter start it). Errors do not stop the run: they stay in the outputs, for the caller to judge. The last
line printed is a JSON object: {"notebooks": [{"name", "seconds", "path"}], "seconds": total}.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def main():
    kernel_name, out_dir, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    summary = []
    started = time.monotonic()
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            kernel_name=kernel_name,
            timeout=int(os.environ.get("CELL_TIMEOUT", "600")),
            startup_timeout=180,
            allow_errors=True,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        clock = time.monotonic()
        client.execute()
        seconds = time.monotonic() - clock
        target = os.path.join(out_dir, os.path.basename(path))
        nbformat.write(notebook, target)
        summary.append({"name": os.path.basename(path), "seconds": round(seconds, 2), "path": target})
        print(f"{os.path.basename(path)}: {seconds:.1f} s", flush=True)
    print(json.dumps({"notebooks": summary, "seconds": round(time.monotonic() - started, 2)}))


if __name__ == "__main__":
    main()
