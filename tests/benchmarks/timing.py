"""The timing helper of the benchmarks that print medians (wall clock and CPU)."""

import statistics
import time

RUNS = 20


def measure(label, func, repeat=RUNS):
    """Wall-clock and CPU medians: on a shared machine the wall clock also counts the
    time other processes held the CPU; the CPU time is this render's own cost."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(
        f"{label:<45} median {statistics.median(wall):8.2f} ms"
        f"   max {max(wall):8.2f} ms   CPU median {statistics.median(cpu):8.2f} ms"
        f"   ({repeat} runs)"
    )
