"""Measures one Jupyter kernel through jupyter_client, as a front end sees it.

Usage: /usr/bin/python3 measure_kernel.py KERNEL_NAME CELL COMPLETION_CODE ROUNDS

Prints one JSON object: cold start to the first result of CELL (seconds), the round trip of CELL from
execute_request to the idle status that ends it (p50/p95, milliseconds, over ROUNDS runs after one warm-up),
and the round trip of a complete_request at the end of COMPLETION_CODE (p50, milliseconds).
"""
import json
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def round_trip(client, send):
    """Sends a request and waits for its reply and for the idle status whose parent is that request."""
    started = time.perf_counter()
    msg_id = send()
    reply = client.get_shell_msg(timeout=120)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=120)
    while True:
        message = client.get_iopub_msg(timeout=120)
        if (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                and message["content"]["execution_state"] == "idle"):
            return time.perf_counter() - started, reply


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    kernel_name, cell, completion_code, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    manager = KernelManager(kernel_name=kernel_name)
    started = time.perf_counter()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=180)
        _, reply = round_trip(client, lambda: client.execute(cell))
        cold_start = time.perf_counter() - started
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"{kernel_name}: {cell!r} failed: {reply['content']}")
        round_trip(client, lambda: client.execute(cell))  # warm-up
        cells = [round_trip(client, lambda: client.execute(cell))[0] * 1000 for _ in range(rounds)]
        completions = []
        for _ in range(max(5, rounds // 5)):
            seconds, reply = round_trip(client, lambda: client.complete(completion_code, len(completion_code)))
            completions.append(seconds * 1000)
        matches = reply["content"].get("matches", [])
        print(json.dumps({
            "kernel": kernel_name,
            "cold_start_s": round(cold_start, 3),
            "cell_p50_ms": round(percentile(cells, 0.5), 2),
            "cell_p95_ms": round(percentile(cells, 0.95), 2),
            "completion_p50_ms": round(percentile(completions, 0.5), 2),
            "completion_matches": len(matches),
            "completion_sample": matches[:5],
        }))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
