"""The wire protocol by hand (http.client): the order in which eddy rejects a request (method, body,
content type, JSON, target, authentication, types, validation) and the exact bodies and headers of
those rejections, as AWS Kinesis answers them.

The Authorization header only has to look like SigV4; eddy checks its presence and shape, not the
signature.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Optional

import pytest

from eddy_e2e import DEFAULT_ACCOUNT, arn_of, expected_ranges, unique_name

JSON_CT = "application/x-amz-json-1.1"
SERVICE = "Kinesis_20131202"
AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc")
AMZ_DATE = "20240101T000000Z"


@dataclass
class Reply:
    status: int
    headers: dict  # lower-cased names
    body: bytes
    header_list: list = field(default_factory=list)

    def json(self):
        return json.loads(self.body)


def signed_headers(target: Optional[str], content_type: Optional[str] = JSON_CT, auth: Optional[str] = AUTH,
                   amz_date: Optional[str] = AMZ_DATE) -> dict:
    h = {}
    if content_type is not None:
        h["Content-Type"] = content_type
    if target is not None:
        h["X-Amz-Target"] = target if "." in target or target == "" else f"{SERVICE}.{target}"
    if auth is not None:
        h["Authorization"] = auth
    if amz_date is not None:
        h["X-Amz-Date"] = amz_date
    return h


def send(endpoint: str, method: str = "POST", path: str = "/", body: bytes | str | None = b"",
         headers: Optional[dict] = None) -> Reply:
    u = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        if isinstance(body, str):
            body = body.encode()
        hdrs = dict(headers or {})
        if body is not None and method in ("POST", "PUT"):
            hdrs.setdefault("Content-Length", str(len(body)))
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, data, r.getheaders())
    finally:
        conn.close()


def call(endpoint: str, op: str, payload, **kw) -> Reply:
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return send(endpoint, body=body, headers=signed_headers(op, **kw))


def assert_request_id(r: Reply) -> None:
    assert r.headers.get("x-amzn-requestid"), r.header_list


def assert_json_error(r: Reply, type_: str, message: Optional[str] = None, status: int = 400,
                      message_key: str = "message") -> dict:
    assert r.status == status, (r.status, r.body)
    assert r.headers.get("content-type") == JSON_CT, r.header_list
    body = r.json()
    assert body["__type"] == type_, body
    if message is not None:
        assert body[message_key] == message, body
    assert_request_id(r)
    return body


def assert_error_type_header(r: Reply, type_: str) -> None:
    assert r.headers.get("x-amzn-errortype", "").split(":")[0] == type_, r.header_list


# ---- method -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD", "PATCH"])
def test_non_post_is_access_denied(endpoint, method):
    r = send(endpoint, method=method, body=json.dumps({}) if method in ("PUT", "PATCH") else None,
             headers=signed_headers("ListStreams"))
    assert r.status == 403
    assert_request_id(r)
    if method != "HEAD":
        text = r.body.decode()
        assert "<AccessDeniedException>" in text
        assert "Unable to determine service/operation name to be authorized" in text
        assert text == ("<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be "
                        "authorized</Message>\n</AccessDeniedException>\n")


def test_get_root_without_anything(endpoint):
    r = send(endpoint, method="GET", body=None, headers={})
    assert r.status == 403
    assert b"<AccessDeniedException>" in r.body
    assert b"Unable to determine service/operation name to be authorized" in r.body


@pytest.mark.parametrize("path,status", [("/health", "ok"), ("/ready", "ready")])
def test_health_and_ready_probes(endpoint, path, status):
    # Probes answer plain GETs (no signature) with JSON; a HEAD or a POST to the same path stays an AWS error.
    r = send(endpoint, method="GET", path=path, body=None, headers={})
    assert r.status == 200
    assert r.headers["content-type"] == "application/json"
    assert json.loads(r.body) == {"status": status}
    assert send(endpoint, method="HEAD", path=path, body=None, headers={}).status == 403


def test_method_checked_before_everything_else(endpoint):
    # Bad JSON, unknown target, no auth: still the method decides.
    r = send(endpoint, method="PUT", body=b"{not json", headers={"X-Amz-Target": "Nope.Nothing"})
    assert r.status == 403
    assert b"<AccessDeniedException>" in r.body


# ---- empty body ---------------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["ListStreams", "CreateStream", "DescribeLimits", "ListShards"])
def test_empty_body_valid_target_is_serialization_exception(endpoint, op):
    r = send(endpoint, body=b"", headers=signed_headers(op))
    assert r.status == 400
    assert r.json() == {"__type": "SerializationException"}
    assert r.headers["content-type"] == JSON_CT
    assert_request_id(r)


@pytest.mark.parametrize("target", ["Kinesis_20131202.Nope", "Other_20131202.ListStreams", "ListStreams",
                                    "Kinesis_20131202.", ""])
def test_empty_body_unknown_target_is_unknown_operation(endpoint, target):
    h = signed_headers(None)
    h["X-Amz-Target"] = target
    r = send(endpoint, body=b"", headers=h)
    assert r.status == 400
    assert r.json() == {"__type": "UnknownOperationException"}
    assert_request_id(r)


def test_empty_body_without_target_or_auth(endpoint):
    r = send(endpoint, body=b"", headers={"Content-Type": JSON_CT})
    assert r.status == 400
    assert r.json() == {"__type": "UnknownOperationException"}


def test_empty_body_other_content_type_gets_cbor(endpoint):
    r = send(endpoint, body=b"", headers=signed_headers("ListStreams", content_type="application/x-amz-cbor-1.1"))
    assert r.status == 400
    assert r.headers["content-type"] == "application/x-amz-cbor-1.1"
    assert r.body == b"\xbf\x66__type\x76SerializationException\xff"
    r = send(endpoint, body=b"", headers=signed_headers("Nope", content_type="text/plain"))
    assert r.status == 400
    assert r.body == b"\xbf\x66__type\x78\x19UnknownOperationException\xff"


# ---- content type -------------------------------------------------------------------------------


@pytest.mark.parametrize("ct", ["text/plain", "application/xml", "application/x-www-form-urlencoded"])
def test_wrong_content_type_valid_target_is_404(endpoint, ct):
    r = send(endpoint, body=json.dumps({}), headers=signed_headers("ListStreams", content_type=ct))
    assert r.status == 404
    assert r.body == b"<UnknownOperationException/>\n"
    assert_request_id(r)


def test_missing_content_type_is_404(endpoint):
    r = send(endpoint, body=json.dumps({}), headers=signed_headers("ListStreams", content_type=None))
    assert r.status == 404
    assert r.body == b"<UnknownOperationException/>\n"


def test_wrong_content_type_without_target_is_access_denied(endpoint):
    r = send(endpoint, body=json.dumps({}), headers={"Content-Type": "text/plain"})
    assert r.status == 403
    assert b"<AccessDeniedException>" in r.body
    assert b"Unable to determine service/operation name to be authorized" in r.body


def test_content_type_parameters_are_ignored(endpoint):
    r = call(endpoint, "ListStreams", {}, content_type="application/x-amz-json-1.1; charset=utf-8")
    assert r.status == 200, r.body
    assert "StreamNames" in r.json()


# ---- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"{", b"not json", b"[1, 2", b"\"unterminated", b"{\"a\":}"])
def test_unparseable_json_is_serialization_exception(endpoint, body):
    r = send(endpoint, body=body, headers=signed_headers("ListStreams"))
    assert r.status == 400
    assert r.json() == {"__type": "SerializationException"}
    assert_request_id(r)


@pytest.mark.parametrize("body", [b"[]", b"5", b"\"text\"", b"null", b"true"])
def test_json_that_is_not_an_object_is_serialization_exception(endpoint, body):
    r = send(endpoint, body=body, headers=signed_headers("ListStreams"))
    assert r.status == 400
    assert r.json()["__type"] == "SerializationException"


def test_json_checked_before_target_and_auth(endpoint):
    r = send(endpoint, body=b"{oops", headers={"Content-Type": JSON_CT, "X-Amz-Target": "Nope.Nope"})
    assert r.status == 400
    assert r.json() == {"__type": "SerializationException"}


# ---- target -------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["Kinesis_20131202.DoSomething", "Kinesis_20131201.ListStreams",
                                    "DynamoDB_20120810.ListTables", "Kinesis_20131202", "Kinesis_20131202.liststreams"])
def test_unknown_target_with_valid_json(endpoint, target):
    h = signed_headers(None)
    h["X-Amz-Target"] = target
    r = send(endpoint, body=b"{}", headers=h)
    assert r.status == 400
    assert r.json() == {"__type": "UnknownOperationException"}
    assert_request_id(r)


def test_unknown_target_checked_before_auth(endpoint):
    r = send(endpoint, body=b"{}", headers={"Content-Type": JSON_CT, "X-Amz-Target": "Kinesis_20131202.Nope"})
    assert r.status == 400
    assert r.json() == {"__type": "UnknownOperationException"}


# ---- authentication -----------------------------------------------------------------------------


def test_missing_authorization(endpoint):
    r = call(endpoint, "ListStreams", {}, auth=None, amz_date=None)
    assert_json_error(r, "MissingAuthenticationTokenException", "Missing Authentication Token")
    assert_error_type_header(r, "MissingAuthenticationTokenException")


def test_missing_authorization_checked_before_validation(endpoint):
    r = call(endpoint, "CreateStream", {"ShardCount": 0}, auth=None)
    assert_json_error(r, "MissingAuthenticationTokenException", "Missing Authentication Token")


@pytest.mark.parametrize(
    "auth, missing",
    [
        ("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date",
         ["Signature"]),
        ("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, Signature=abc",
         ["SignedHeaders"]),
        ("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc", ["Credential"]),
        ("AWS4-HMAC-SHA256", ["Credential", "Signature", "SignedHeaders"]),
        ("whatever", ["Credential", "Signature", "SignedHeaders"]),
    ],
)
def test_incomplete_authorization_header(endpoint, auth, missing):
    r = call(endpoint, "ListStreams", {}, auth=auth)
    body = assert_json_error(r, "IncompleteSignatureException")
    assert_error_type_header(r, "IncompleteSignatureException")
    expected = "".join(f"Authorization header requires '{p}' parameter. " for p in missing)
    assert body["message"] == expected + "Authorization=" + auth


def test_authorization_without_date(endpoint):
    r = call(endpoint, "ListStreams", {}, amz_date=None)
    body = assert_json_error(r, "IncompleteSignatureException")
    assert body["message"] == ("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                               "header. Authorization=" + AUTH)
    # A Date header is enough.
    h = signed_headers("ListStreams", amz_date=None)
    h["Date"] = "Mon, 01 Jan 2024 00:00:00 GMT"
    r = send(endpoint, body=b"{}", headers=h)
    assert r.status == 200, r.body


def test_incomplete_authorization_lists_every_missing_part(endpoint):
    auth = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request"
    r = call(endpoint, "ListStreams", {}, auth=auth, amz_date=None)
    body = assert_json_error(r, "IncompleteSignatureException")
    assert body["message"] == (
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=" + auth)
    assert body["message"].endswith("Authorization=" + auth)


def test_both_authorization_header_and_query_algorithm(endpoint):
    r = send(endpoint, path="/?X-Amz-Algorithm=AWS4-HMAC-SHA256", body=b"{}", headers=signed_headers("ListStreams"))
    assert_json_error(r, "InvalidSignatureException",
                      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
    assert_error_type_header(r, "InvalidSignatureException")


def test_incomplete_query_string_signature(endpoint):
    r = send(endpoint, path="/?X-Amz-Algorithm=AWS4-HMAC-SHA256", body=b"{}",
             headers=signed_headers("ListStreams", auth=None, amz_date=None))
    body = assert_json_error(r, "IncompleteSignatureException")
    assert body["message"] == (
        "AWS query-string parameters must include 'X-Amz-Credential'. "
        "AWS query-string parameters must include 'X-Amz-Signature'. "
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
        "AWS query-string parameters must include 'X-Amz-Date'. "
        "Re-examine the query-string parameters.")


def test_complete_query_string_signature_is_accepted(endpoint):
    q = urllib.parse.urlencode({
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": "AKID/20240101/us-east-1/kinesis/aws4_request",
        "X-Amz-Date": AMZ_DATE,
        "X-Amz-SignedHeaders": "host",
        "X-Amz-Signature": "abc",
    })
    r = send(endpoint, path="/?" + q, body=b"{}", headers=signed_headers("ListStreams", auth=None, amz_date=None))
    assert r.status == 200, r.body
    assert r.json()["HasMoreStreams"] in (True, False)


def test_auth_checked_before_type_errors(endpoint):
    r = call(endpoint, "CreateStream", {"StreamName": 5}, auth=None)
    assert_json_error(r, "MissingAuthenticationTokenException", "Missing Authentication Token")


# ---- types and validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"StreamName": 5, "ShardCount": 1}, "class java.math.BigDecimal can not be converted to an String"),
        ({"StreamName": 5.5, "ShardCount": 1}, "class java.math.BigDecimal can not be converted to an String"),
        ({"StreamName": True, "ShardCount": 1}, "class java.lang.Boolean can not be converted to an String"),
        ({"StreamName": "x", "ShardCount": "1"}, "class java.lang.String can not be converted to an Integer"),
        ({"StreamName": "x", "ShardCount": True}, "class java.lang.Boolean can not be converted to an Integer"),
        ({"StreamName": ["x"], "ShardCount": 1}, "Start of list found where not expected"),
        ({"StreamName": {"a": 1}, "ShardCount": 1}, "Start of structure or map found where not expected."),
    ],
)
def test_wrong_json_type_is_serialization_exception(endpoint, payload, message):
    r = call(endpoint, "CreateStream", payload)
    body = assert_json_error(r, "SerializationException", message, message_key="Message")
    assert "message" not in body
    assert_error_type_header(r, "SerializationException")


def test_type_errors_before_validation(endpoint):
    # ShardCount=0 would fail validation, but the type error is found first.
    r = call(endpoint, "CreateStream", {"StreamName": 5, "ShardCount": 0})
    assert_json_error(r, "SerializationException", "class java.math.BigDecimal can not be converted to an String",
                      message_key="Message")


def test_validation_exception_shape(endpoint):
    r = call(endpoint, "CreateStream", {"StreamName": unique_name(), "ShardCount": 0})
    body = assert_json_error(
        r, "ValidationException",
        "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1")
    assert_error_type_header(r, "ValidationException")
    r = call(endpoint, "CreateStream", {"ShardCount": 1})
    assert_json_error(
        r, "ValidationException",
        "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: "
        "Member must not be null")
    assert set(body) == {"__type", "message"}


def test_unknown_members_are_ignored(endpoint):
    name = unique_name()
    r = call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 2, "StreamId": "abc", "Bogus": [1, {}]})
    assert r.status == 200, r.body
    assert r.json() == {}
    assert_request_id(r)
    r = call(endpoint, "DescribeStreamSummary", {"StreamName": name, "StreamId": "whatever"})
    assert r.status == 200, r.body
    assert r.json()["StreamDescriptionSummary"]["OpenShardCount"] == 2
    # Unknown members of any type are dropped before type checks.
    r = call(endpoint, "ListStreams", {"Unknown": 5, "Other": True})
    assert r.status == 200, r.body


def test_null_members_are_treated_as_absent(endpoint):
    r = call(endpoint, "ListStreams", {"Limit": None, "ExclusiveStartStreamName": None})
    assert r.status == 200, r.body
    r = call(endpoint, "CreateStream", {"StreamName": None, "ShardCount": 1})
    assert_json_error(r, "ValidationException",
                      "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: "
                      "Member must not be null")


# ---- successful responses -----------------------------------------------------------------------


def test_success_headers_and_body(endpoint):
    name = unique_name()
    r = call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 3})
    assert r.status == 200
    assert r.headers["content-type"] == JSON_CT
    assert r.json() == {}
    assert_request_id(r)
    assert "x-amzn-errortype" not in r.headers
    r = call(endpoint, "DescribeStream", {"StreamName": name})
    assert r.status == 200
    d = r.json()["StreamDescription"]
    assert d["StreamARN"] == arn_of(name)
    # Hash keys are decimal strings, exactly AWS's even split.
    got = [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])) for s in d["Shards"]]
    assert got == expected_ranges(3)
    assert isinstance(d["StreamCreationTimestamp"], (int, float))


def test_request_ids_are_unique(endpoint):
    ids = {call(endpoint, "ListStreams", {}).headers["x-amzn-requestid"] for _ in range(20)}
    assert len(ids) == 20


def test_list_shards_exact_stream_creation_timestamp(endpoint):
    name = unique_name()
    assert call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 2}).status == 200
    # The timestamp exactly as eddy reported it (epoch seconds, fraction included).
    ts = json.loads(call(endpoint, "DescribeStreamSummary", {"StreamName": name}).body,
                    parse_float=str)["StreamDescriptionSummary"]["StreamCreationTimestamp"]
    raw = json.dumps({"StreamName": name, "StreamCreationTimestamp": 0}).replace(": 0}", ": " + str(ts) + "}")
    r = call(endpoint, "ListShards", raw)
    assert r.status == 200, r.body
    assert len(r.json()["Shards"]) == 2
    r = call(endpoint, "ListShards", {"StreamName": name, "StreamCreationTimestamp": 978307200})
    assert_json_error(r, "ResourceNotFoundException")


def test_resource_errors_carry_error_type(endpoint):
    name = unique_name()
    r = call(endpoint, "DescribeStream", {"StreamName": name})
    assert_json_error(r, "ResourceNotFoundException", f"Stream {name} under account {DEFAULT_ACCOUNT} not found.")
    assert_error_type_header(r, "ResourceNotFoundException")
    assert call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 1}).status == 200
    r = call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 1})
    assert_json_error(r, "ResourceInUseException", f"Stream {name} under account {DEFAULT_ACCOUNT} already exists.")
    assert_error_type_header(r, "ResourceInUseException")
    r = call(endpoint, "ListShards", {"NextToken": "garbage"})
    assert_json_error(r, "InvalidArgumentException", "Invalid NextToken.")
    assert_error_type_header(r, "InvalidArgumentException")


@pytest.mark.parametrize(
    "case",
    ["empty-body-serialization", "empty-body-unknown-op", "bad-json", "unknown-target"],
)
def test_every_json_error_carries_error_type(endpoint, case):
    """Errors carry x-amzn-ErrorType, including the ones decided before authentication."""
    if case == "empty-body-serialization":
        r = send(endpoint, body=b"", headers=signed_headers("ListStreams"))
        t = "SerializationException"
    elif case == "empty-body-unknown-op":
        r = send(endpoint, body=b"", headers=signed_headers("Nope"))
        t = "UnknownOperationException"
    elif case == "bad-json":
        r = send(endpoint, body=b"{", headers=signed_headers("ListStreams"))
        t = "SerializationException"
    else:
        r = send(endpoint, body=b"{}", headers=signed_headers("Nope"))
        t = "UnknownOperationException"
    assert r.status == 400
    assert r.json() == {"__type": t}
    assert_request_id(r)
    assert_error_type_header(r, t)


# ---- account and region from the credential scope ------------------------------------------------


def test_credential_scope_selects_account_and_region(endpoint):
    name = unique_name()
    auth = ("AWS4-HMAC-SHA256 Credential=123456789012/20240101/ap-southeast-2/kinesis/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=abc")
    r = call(endpoint, "CreateStream", {"StreamName": name, "ShardCount": 1}, auth=auth)
    assert r.status == 200, r.body
    r = call(endpoint, "DescribeStreamSummary", {"StreamName": name}, auth=auth)
    assert r.json()["StreamDescriptionSummary"]["StreamARN"] == arn_of(name, "123456789012", "ap-southeast-2")
    # Not in the default account/region.
    r = call(endpoint, "DescribeStreamSummary", {"StreamName": name})
    assert_json_error(r, "ResourceNotFoundException", f"Stream {name} under account {DEFAULT_ACCOUNT} not found.")


# ---- body size ----------------------------------------------------------------------------------

MAX_BODY = 16 * 1024 * 1024


def _big_body(size: int) -> bytes:
    body = b'{"Pad":"' + b"x" * (size - 10) + b'"}'
    assert len(body) == size
    return body


def _send_big(endpoint: str, body_iter, content_length: Optional[int]) -> Reply:
    """Sends a large body, tolerating the server answering (and closing) before it is all written."""
    u = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.putrequest("POST", "/")
        for k, v in signed_headers("ListStreams").items():
            conn.putheader(k, v)
        if content_length is None:
            conn.putheader("Transfer-Encoding", "chunked")
        else:
            conn.putheader("Content-Length", str(content_length))
        conn.endheaders()
        try:
            for chunk in body_iter:
                if content_length is None:
                    conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    conn.send(chunk)
            if content_length is None:
                conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        r = conn.getresponse()
        data = r.read()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, data, r.getheaders())
    finally:
        conn.close()


def _chunks(body: bytes, size: int = 1 << 20):
    for i in range(0, len(body), size):
        yield body[i:i + size]


def test_body_of_exactly_16_mib_is_accepted(endpoint):
    body = _big_body(MAX_BODY)
    r = _send_big(endpoint, _chunks(body), len(body))
    assert r.status == 200, r.body[:200]


def test_body_over_16_mib_with_content_length_is_413(endpoint):
    body = _big_body(MAX_BODY + 1)
    r = _send_big(endpoint, _chunks(body), len(body))
    assert r.status == 413, (r.status, r.header_list, r.body[:200])


def test_body_over_16_mib_chunked_is_413(endpoint):
    body = _big_body(MAX_BODY + 1)
    r = _send_big(endpoint, _chunks(body), None)
    assert r.status == 413, (r.status, r.header_list, r.body[:200])


def test_server_still_serves_after_oversized_body(endpoint):
    body = _big_body(MAX_BODY + 1024)
    _send_big(endpoint, _chunks(body), len(body))
    r = call(endpoint, "ListStreams", {})
    assert r.status == 200


# ---- keep-alive ---------------------------------------------------------------------------------


def test_keep_alive_connection_serves_many_requests(endpoint):
    u = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        for i in range(5):
            conn.request("POST", "/", body=b"{}", headers=signed_headers("DescribeLimits"))
            r = conn.getresponse()
            assert r.status == 200
            assert "ShardLimit" in json.loads(r.read())
        # An error response keeps the connection usable too.
        conn.request("POST", "/", body=b"{", headers=signed_headers("ListStreams"))
        r = conn.getresponse()
        assert r.status == 400
        r.read()
        conn.request("POST", "/", body=b"{}", headers=signed_headers("ListStreams"))
        r = conn.getresponse()
        assert r.status == 200
        r.read()
    finally:
        conn.close()
