"""The Python thin client in `npm run bench:compare`: katzenpost-thinclient 0.0.25 (PyPI).

No release matches kpclientd v0.0.73: 0.0.25 rejects the v0.0.73 geometry sections of
thinclient.toml, so it is given a copy with only [Dial], and it still answers these calls.
Same workload and output as the other clients (see params.mjs).
"""
import asyncio
import json
import os
import re
import resource
import sys
import tempfile
import time

from katzenpost_thinclient import Config, ThinClient

WARMUP = int(os.environ.get("BENCH_WARMUP", 5000))
SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", 5000))
OPS = int(os.environ.get("BENCH_OPS", 20000))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1,16,256").split(",")]
IN_FLIGHT = int(os.environ.get("BENCH_IN_FLIGHT", 10000))


def dial_only(path):
    text = open(path).read()
    match = re.search(r"\[Dial\][\s\S]*", text)
    fd, out = tempfile.mkstemp(suffix=".toml")
    with os.fdopen(fd, "w") as f:
        f.write(match.group(0))
    return out


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main():
    client = ThinClient(Config(dial_only(sys.argv[1])))
    await client.start(asyncio.get_running_loop())
    seed = bytes([7]) * 32
    first = await client.new_keypair(seed)
    first_reply_at = int(time.time() * 1000)
    index = first.first_message_index
    ops = {
        "new_keypair": lambda: client.new_keypair(seed),
        "next_message_box_index": lambda: client.next_message_box_index(index),
    }
    result = {"client": "python", "firstReplyAt": first_reply_at, "ops": {}}
    for name in ["new_keypair", "next_message_box_index"]:
        op = ops[name]
        for _ in range(WARMUP):
            await op()
        times = []
        for _ in range(SEQUENTIAL):
            t = time.perf_counter()
            await op()
            times.append((time.perf_counter() - t) * 1e6)
        times.sort()
        throughput = {}
        cpu = None
        for c in CONCURRENCY:
            per = -(-OPS // c)

            async def caller():
                for _ in range(per):
                    await op()

            c0 = cpu_seconds()
            t = time.perf_counter()
            await asyncio.gather(*[caller() for _ in range(c)])
            seconds = time.perf_counter() - t
            throughput[str(c)] = per * c / seconds
            if c == 16:
                cpu = (cpu_seconds() - c0) * 1e6 / (per * c)
        result["ops"][name] = {"p50": percentile(times, 50), "p99": percentile(times, 99), "opsPerSec": throughput, "cpuUsPerOp": cpu}
    await asyncio.gather(*[ops["next_message_box_index"]() for _ in range(IN_FLIGHT)])
    # Peak RSS of the process (ru_maxrss is in KiB on Linux); no separate heap figure in Python.
    result["memory"] = {"rssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "heapMiB": None, "heapPerRequestB": None}
    print(json.dumps(result), flush=True)
    client.stop()
    os._exit(0)


asyncio.run(main())
