#!/usr/bin/env python3
"""Koyeb's official Python SDK (`koyeb-sdk`, its ProvisioningApi) sending the same PATCH as `kprov-bench client`:
N calls of declare_step_progress from T threads, each thread with its own ApiClient (urllib3 pool).

Usage: koyeb_sdk_load.py URL TOKEN DEPLOYMENT STAGE ATTEMPT STEP CALLS THREADS
Prints one JSON object: calls, calls_per_second, p50_ms, p99_ms, cpu_us_per_call.
"""
import json
import resource
import sys
import threading
import time

from koyeb.api.api.provisioning_api import ProvisioningApi
from koyeb.api.api_client import ApiClient
from koyeb.api.configuration import Configuration
from koyeb.api.models.declare_step_progress_request import DeclareStepProgressRequest


def main() -> None:
    url, token, deployment, stage, attempt, step = sys.argv[1:7]
    calls, threads = int(sys.argv[7]), int(sys.argv[8])
    configuration = Configuration(host=url, api_key={"Bearer": f"Bearer {token}"})
    body = DeclareStepProgressRequest(status="RUNNING", messages=["bench"])
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(share: int) -> None:
        api = ProvisioningApi(ApiClient(configuration))
        api.declare_step_progress(deployment, stage, attempt, step, body)  # warm the connection
        own = []
        for _ in range(share):
            sent = time.perf_counter()
            api.declare_step_progress(deployment, stage, attempt, step, body)
            own.append(time.perf_counter() - sent)
        with lock:
            latencies.extend(own)

    shares = [calls // threads + (1 if index < calls % threads else 0) for index in range(threads)]
    workers = [threading.Thread(target=worker, args=(share,)) for share in shares]
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    latencies.sort()
    print(json.dumps({
        "calls": len(latencies),
        "calls_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 3),
        "p99_ms": round(latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000, 3),
        "cpu_us_per_call": round(cpu * 1e6 / len(latencies), 1),
    }))


if __name__ == "__main__":
    main()
