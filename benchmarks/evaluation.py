"""What the audit-log guard and the hash chain cost. Prints ratios, asserts nothing.

Run: .venv/bin/python benchmarks/evaluation.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store import (
    audit,  # noqa: E402
    settings,  # noqa: E402
)
from store.db import open_database  # noqa: E402
from store.guard import raw_connection  # noqa: E402


def per_call(function, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat


def main() -> int:
    con = open_database(":memory:")
    raw = raw_connection(con)
    select = "SELECT count(*) FROM score WHERE evaluator_id = 'risten'"
    update = "UPDATE setting SET value = value WHERE key = 'currency'"
    for name, sql in (("query", select), ("update", update)):
        guarded = per_call(lambda sql=sql: con.execute(sql).fetchall(), 2000)
        plain = per_call(lambda sql=sql: raw.execute(sql).fetchall(), 2000)
        print(
            f"{name:<7} guarded {guarded * 1e6:7.1f} µs, plain {plain * 1e6:7.1f} µs,"
            f" ratio {guarded / plain:4.2f}"
        )

    started = time.perf_counter()
    for n in range(2000):
        settings.set_setting(con, "template_show_weights", str(n % 2 == 0).lower(), actor="bench")
    write = (time.perf_counter() - started) / 2000
    entries = len(audit.entries(con))
    verify = per_call(lambda: audit.verify(con), 5)
    print(f"logged change (setting + sealed entry): {write * 1e3:.2f} ms each")
    each = verify / entries * 1e6
    print(f"verify {entries} entries: {verify * 1e3:.0f} ms ({each:.1f} µs an entry)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
