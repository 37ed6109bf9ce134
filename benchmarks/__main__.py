"""``python -m benchmarks [--strict] [--output PATH] [module ...]``

Runs the named benchmark modules (default: all of ``MODULES``), prints a table and writes
``bench-results.json`` at the repo root. Add a figure: write ``benchmarks/<name>.py`` with
``run(results)`` calling ``benchmarks.figure(...)`` and list it in ``MODULES``.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time

from benchmarks import meets_goal
from benchmarks.common import ROOT, log

# development gives every student left without a record one (its to-do and timeline figures):
# it runs after the modules that pick such students for records of their own.
MODULES = ["platform", "messaging", "evaluation", "activist", "candidate", "probation", "development", "dashboard", "dossier",
           "history_import", "mobile", "load"]


def _fmt(v) -> str:
    if v is None:
        return "-"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def print_table(results: list[dict]) -> None:
    rows = [("name", "value", "unit", "goal", "better", "ok?")]
    for r in results:
        ok = meets_goal(r)
        rows.append((r["name"], _fmt(r["value"]), r["unit"], _fmt(r["goal"]), r["better"], "-" if ok is None else ("yes" if ok else "NO")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print("  ".join(c.ljust(w) if i in (0, 2, 4) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="先锋 performance figures")
    parser.add_argument("modules", nargs="*", help=f"benchmark modules to run (default: all of {', '.join(MODULES)})")
    parser.add_argument("--output", default=str(ROOT / "bench-results.json"), help="where to write the JSON results")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its goal")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown benchmark module(s): {', '.join(unknown)}; known: {', '.join(MODULES)}")
    os.chdir(ROOT)  # settings.toml and vendor/assets are relative to the repo root
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    results: list[dict] = []
    for name in args.modules or MODULES:
        t0 = time.perf_counter()
        log(f"running {name}")
        importlib.import_module(f"benchmarks.{name}").run(results)
        log(f"{name} done in {time.perf_counter() - t0:.1f}s")
    print_table(results)
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=2)
        f.write("\n")
    log(f"wrote {args.output}")
    missed = [r["name"] for r in results if meets_goal(r) is False]
    if missed:
        log(f"goals missed: {', '.join(missed)}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
