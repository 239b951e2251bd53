"""Hand-made hostile requests for lvzhi's fuzz run (.ci/fuzz.sh), which Schemathesis does not
generate: deep and aliased documents, huge strings, wrong types, control characters, broken
bodies. Usage: fuzz_raw.py URL [TOKEN...]. Fails (exit 1) on any INTERNAL_SERVER_ERROR, any
HTTP 500, or a server that stops answering; prints how many requests it sent.
"""

import json
import sys

import requests

url, tokens = sys.argv[1], [None] + sys.argv[2:]

deep = "{ viewer { " + "member { proposals(first: 1) { nodes { signers { " * 30 + "id" + " } } } }" * 30 + " } }"
aliases = "{ " + " ".join(f"a{i}: viewer {{ username }}" for i in range(2000)) + " }"
roots = "{ " + " ".join(f"t{i}: terms {{ name }}" for i in range(200)) + " }"
fragment_cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
huge = "x" * 900_000
control = "\u0000\u0005\u001b[31m\u007f\u0085"
mutation = "mutation($n: String!) { createSector(input: { name: $n }) { sector { name } } }"

cases = [
    ("deep", {"query": deep}),
    ("aliases", {"query": aliases}),
    ("root fields", {"query": roots}),
    ("fragment cycle", {"query": fragment_cycle}),
    ("huge string", {"query": mutation, "variables": {"n": huge}}),
    ("control characters", {"query": mutation, "variables": {"n": control}}),
    ("wrong type", {"query": mutation, "variables": {"n": {"nested": [1, 2, 3]}}}),
    ("missing variable", {"query": mutation}),
    ("int overflow", {"query": "{ members(first: 99999999999999999999) { totalCount } }"}),
    ("negative page", {"query": "{ members(first: -1) { totalCount } }"}),
    ("bad id", {"query": "{ node(id: \"\\u0000\\u0000\") { id } }"}),
    ("bad cursor", {"query": "{ members(first: 1, after: \"!!!\") { totalCount } }"}),
    ("bad date", {"query": "{ yearInReview(year: 2147483647) { members } }"}),
    ("unknown operation", {"query": "{ viewer { id } }", "operationName": "Nope"}),
    ("not graphql", {"query": "\u0000" * 1000}),
]
raw_bodies = [
    ("not json", b"{", "application/json"),
    ("batch", b'[{"query":"{ viewer { id } }"}]', "application/json"),
    ("too large", b'{"query":"' + b"a" * 2_000_000 + b'"}', "application/json"),
    ("wrong type", b"query=1", "application/x-www-form-urlencoded"),
    ("bad multipart", b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x"),
]

sent, failures = 0, []


def check(name, response):
    global sent
    sent += 1
    if response.status_code == 500:
        failures.append(f"{name}: HTTP 500")
    try:
        body = response.json()
    except ValueError:
        return
    for error in (body.get("errors") if isinstance(body, dict) else None) or []:
        if ((error or {}).get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR":
            failures.append(f"{name}: INTERNAL_SERVER_ERROR")


for token in tokens:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for name, payload in cases:
        check(name, requests.post(url, json=payload, headers=headers, timeout=60))
        if "variables" not in payload:
            check(f"{name} (GET)", requests.get(url, params=payload, headers=headers, timeout=60))
    for name, body, media in raw_bodies:
        check(name, requests.post(url, data=body, headers={**headers, "Content-Type": media}, timeout=60))

alive = requests.get(url.rsplit("/", 1)[0] + "/health", timeout=10).status_code == 200
print(f"hand-made hostile requests: {sent} sent, {len(failures)} internal errors, server alive: {alive}")
for failure in failures:
    print("  " + failure)
sys.exit(0 if alive and not failures else 1)
