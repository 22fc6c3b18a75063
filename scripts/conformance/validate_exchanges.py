#!/usr/bin/env python3
"""Validates recorded HTTP exchanges against Koyeb's OpenAPI spec with openapi-core.

Usage: validate_exchanges.py SPEC.yaml EXCHANGES.jsonl

Each line of EXCHANGES.jsonl is one exchange as kprov's conformance test records it:
{"method": "PATCH", "path": "/v1/...", "query": [["limit", "20"]], "request_headers": {...},
 "request_body": "...", "status": 200, "response_headers": {...}, "response_body": "..."}

Both sides are checked: the request (what kprov's client sent) and the response (what the local Koyeb API
answered). Prints one line per problem and a closing "N passed, N failed" line; exits 1 if any failed.
"""
import json
import sys

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.datastructures import ImmutableMultiDict

KOYEB_HOST = "https://app.koyeb.com"


def main() -> int:
    spec_path, exchanges_path = sys.argv[1], sys.argv[2]
    # The spec declares every body as `*/*`; Koyeb (and kprov) send and answer JSON, so `*/*` bodies are read
    # as JSON. Everything else in the spec is used as it is.
    config = Config(extra_media_type_deserializers={"*/*": json.loads})
    openapi = OpenAPI.from_file_path(spec_path, config=config)
    passed = failed = 0
    with open(exchanges_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            exchange = json.loads(line)
            label = f"#{number} {exchange['method']} {exchange['path']} -> {exchange['status']}"
            request = MockRequest(
                KOYEB_HOST,
                exchange["method"].lower(),
                exchange["path"],
                args=ImmutableMultiDict(exchange.get("query", [])),
                headers=exchange.get("request_headers", {}),
                data=exchange.get("request_body", "").encode("utf-8") or None,
                content_type=exchange.get("request_headers", {}).get("content-type", "application/json"),
            )
            response = MockResponse(
                exchange.get("response_body", "").encode("utf-8"),
                status_code=exchange["status"],
                headers=exchange.get("response_headers", {}),
                content_type=exchange.get("response_headers", {}).get("content-type", "application/json"),
            )
            problems = []
            if exchange.get("check_request", True):
                try:
                    openapi.validate_request(request)
                except Exception as error:  # openapi-core raises a family of validation errors
                    problems.append(f"request: {describe(error)}")
            try:
                openapi.validate_response(request, response)
            except Exception as error:
                problems.append(f"response: {describe(error)}")
            if problems:
                failed += 1
                for problem in problems:
                    print(f"FAIL {label}: {problem}")
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def describe(error: Exception) -> str:
    parts = [f"{type(error).__name__}: {error}"]
    cause = error.__cause__
    while cause is not None:
        parts.append(f"{type(cause).__name__}: {cause}")
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            parts.extend(f"  {e.message} at {list(e.path)}" for e in schema_errors)
        cause = cause.__cause__
    return " | ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
