"""Bad input gets a Korean message and a 4xx (API.md conventions), never English or 500."""

import re

HANGUL = re.compile(r"[가-힣]")


def test_missing_fields_get_korean_messages(client, db):
    response = client.post("/api/v1/auth/signup", {}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]
    for messages in body["fields"].values():
        for message in messages:
            assert HANGUL.search(message), message
            assert "Field required" not in message


def test_body_that_is_not_json_is_a_korean_400(client, db):
    response = client.post("/api/v1/auth/token", "not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert HANGUL.search(response.json()["message"])


def test_korean_is_sent_as_utf8_not_escaped(client, db):
    response = client.get("/api/v1/districts")
    assert "노원구" in response.content.decode("utf-8")
