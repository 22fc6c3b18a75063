-- wrk script for every HTTP benchmark of scripts/bench/run: the request comes from the environment, and the
-- summary is printed as one JSON line (calls, calls_per_second, p50_ms, p99_ms).
--   BENCH_PATH    the path to request (required)
--   BENCH_TOKEN   sent as "Authorization: Bearer …" when set
--   BENCH_METHOD  GET (default) or PATCH; a PATCH sends the same step declaration as kprov-bench and the SDK
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
if token then wrk.headers["Authorization"] = "Bearer " .. token end
if wrk.method == "PATCH" then
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = '{"messages":["bench"],"status":"RUNNING"}'
end

done = function(summary, latency, requests)
    local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout
    io.write(string.format(
        '{"calls": %d, "calls_per_second": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d}\n',
        summary.requests, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed))
end
