"""Benchmark: cold start of the dument command (targets: assess <= 0.4 s, render <= 1.0 s).

Each run is a fresh process, as a user's command is. Prints figures only.
Usage: .venv/bin/python scripts/bench_cold_start.py [RUNS]
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIM = ROOT / "examples" / "b2b-reminded.yaml"
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "webapp.cli", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "m.pdf")
        cases = {
            "assess --json": ["assess", str(CLAIM), "--on", "2026-11-23", "--json"],
            "render mise-en-demeure": ["render", str(CLAIM), "--document", "mise-en-demeure", "--out", out],
        }
        for name, args in cases.items():
            times = [timed(args) for _ in range(RUNS)]
            print(f"dument {name:<24} median {statistics.median(times):.3f} s  min {min(times):.3f} s  ({RUNS} runs)")


if __name__ == "__main__":
    main()
