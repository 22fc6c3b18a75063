-- wrk script: the same PATCH that kprov-bench and the Python SDK send.
-- Set by scripts/bench/run through the environment: BENCH_PATH, BENCH_TOKEN.
wrk.method = "PATCH"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"messages":["bench"],"status":"RUNNING"}'

done = function(summary, latency, requests)
    io.write(string.format('{"calls": %d, "calls_per_second": %.1f, "p50_ms": %.3f, "p99_ms": %.3f}\n',
        summary.requests, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
