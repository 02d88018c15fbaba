"""Runs scripts as a user would, in one fresh Python started with -I (isolated: neither this
project nor the current folder is on its path), one after another.

Reads one JSON object a line on stdin, {"name", "code"}: writes the code to NAME.py in the
current folder, runs it as __main__ in a namespace of its own, and answers one JSON line
{"name", "stdout", "error"} (error: the traceback, or null). Several scripts share the one
process so that torch and transformers are imported once.
"""
import contextlib
import io
import json
import runpy
import sys
import traceback

for line in sys.stdin:
    job = json.loads(line)
    path = f"{job['name']}.py"
    with open(path, "w", encoding="utf-8") as script:
        script.write(job["code"])
    printed, error = io.StringIO(), None
    try:
        with contextlib.redirect_stdout(printed):
            runpy.run_path(path, run_name="__main__")
    except BaseException:          # noqa: BLE001 - a script's failure, SystemExit included, is its answer
        error = traceback.format_exc()
    print(json.dumps({"name": job["name"], "stdout": printed.getvalue(), "error": error}), flush=True)
