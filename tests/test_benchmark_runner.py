"""The benchmark runner's bookkeeping (the timings themselves are measured, never asserted)."""

from __future__ import annotations

from benchmarks.run import calibrate, case_groups


def test_each_case_gets_its_own_process_and_word_joins_the_opp_case() -> None:
    assert case_groups(["start", "opp", "lijst", "word"]) == [
        ["start"],
        ["opp", "word"],
        ["lijst"],
    ]
    assert case_groups(["word", "planning"]) == [["word"], ["planning"]]


def test_peak_memory_is_the_child_process_own_not_its_parents() -> None:
    # ru_maxrss is kept across fork and exec: a small case started from a big runner would
    # report the runner's size. The runner's figure must be the child's own.
    import subprocess
    import sys
    from pathlib import Path

    block = bytearray(300 * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", "from benchmarks.run import peak_rss_mb; print(peak_rss_mb())"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(out.stdout.strip().splitlines()[-1]) < 200
    del block


def test_calibration_loop_takes_measurable_time() -> None:
    assert calibrate() > 0
