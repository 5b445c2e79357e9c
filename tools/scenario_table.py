#!/usr/bin/env python3
"""Writes the scenario list into docs/scenarios.md (between the SCENARIOS markers),
generated from the scenario metadata, with a link that opens each in the app.

Usage: tools/scenario_table.py [--check]   (--check: exit 1 if docs/scenarios.md is out of date)
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
START, END = "<!-- SCENARIOS:START -->", "<!-- SCENARIOS:END -->"
GROUPS = {
    "seed-000": "Seed 000: threads and processes that keep running",
    "seed-001": "Seed 001: daemon and non-daemon processes, exit codes",
    "seed-002": "Seed 002: a background loop and Ctrl-C",
    "seed-003": "Seed 003: daemon threads (lesson)",
    "seed-004": "Seed 004: daemon processes",
    "threads": "Threads: rules and primitives",
    "signals": "Signals and Ctrl-C",
    "processes": "Processes: multiprocessing",
    "races": "Races: lost updates, stale checks and deadlocks (try Explore outcomes)",
}


def table() -> str:
    lines = []
    path = json.loads((ROOT / "scenarios" / "path.json").read_text()) if (ROOT / "scenarios" / "path.json").exists() else []
    if path:
        lines.append("**Start here** (the guided path): " + " → ".join(f"[{s['id']}](http://127.0.0.1:8080/#{s['id']})" for s in path))
        lines.append("")
    for group, title in GROUPS.items():
        metas = sorted((ROOT / "scenarios" / group).glob("*.json"))
        rows = []
        for m in metas:
            if ".cpython-" in m.name or not m.with_suffix(".py").exists():
                continue
            meta = json.loads(m.read_text())
            n = len(meta.get("try_this", []))
            tries = f" ({n} variation{'s' if n != 1 else ''})" if n else ""
            rows.append(f"| [{meta['id']}](http://127.0.0.1:8080/#{meta['id']}) | {meta['title']}{tries} |")
        if rows:
            lines.append(f"### {title}")
            lines.append("")
            lines.append("| scenario | what it shows |")
            lines.append("|---|---|")
            lines.extend(rows)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    readme = ROOT / "docs" / "scenarios.md"
    text = readme.read_text()
    a, b = text.index(START) + len(START), text.index(END)
    new = text[:a] + "\n\n" + table() + "\n" + text[b:]
    if "--check" in sys.argv:
        return 0 if new == text else 1
    readme.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
