"""Schemathesis hooks for lvzhi's fuzz run (.ci/fuzz.sh).

Strategies for the schema's custom scalars, which Schemathesis would otherwise skip every
operation taking them for, and the check the run is about: no response may carry
INTERNAL_SERVER_ERROR (lvzhi answers GraphQL errors with 200, so a status check alone would
miss them).
"""

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# Valid values most of the time, hostile ones sometimes: wrong shapes, huge and control texts.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=20),
    st.just("x" * 100_000),
    st.just("\u0005\u0000\u001b[31m"),
    st.just("9" * 400),
)

schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False).map(str),
        HOSTILE_TEXT,
    ).map(nodes.String),
)
schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(st.dates().map(lambda d: d.isoformat()), HOSTILE_TEXT).map(nodes.String),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(
        st.datetimes().map(lambda d: d.isoformat() + "Z"),
        HOSTILE_TEXT,
    ).map(nodes.String),
)
schemathesis.graphql.scalar("JSON", st.one_of(st.text(max_size=20), HOSTILE_TEXT).map(nodes.String))
# Files travel as multipart parts; inline, an upload can only be wrong.
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))


@schemathesis.check
def no_internal_server_error(ctx, response, case):
    """No response may be, or carry, an internal server error."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        return
    for error in (body or {}).get("errors") or []:
        code = ((error or {}).get("extensions") or {}).get("code")
        if code == "INTERNAL_SERVER_ERROR":
            raise AssertionError(f"INTERNAL_SERVER_ERROR: {error.get('message')}")
