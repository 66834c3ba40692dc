"""``crossdock contracts check`` against the committed snapshot and against altered copies of it.

The live documents are built in-process from the real apps and the event registry; the altered
snapshots live in a temporary folder, so the committed one is only read.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from contracts import snapshot
from crossdock.cli import app


def check(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["contracts", "check", *args], terminal_width=200)


@pytest.fixture(scope="module")
def live() -> snapshot.Documents:
    return snapshot.live()


@pytest.fixture
def copied(tmp_path, live):
    snapshot.write(live, tmp_path)
    return tmp_path


def test_the_committed_snapshot_matches_the_live_documents():
    result = check()
    assert result.exit_code == 0, result.output
    assert "0 breaking, 0 additive change(s)" in result.output


def test_an_operation_the_snapshot_has_and_the_hub_lost_fails_the_check(copied, live):
    hub = json.loads((copied / snapshot.HUB).read_text())
    hub["paths"]["/v1/orders/{order_id}/refund"] = {"post": {"responses": {"202": {}}}}
    (copied / snapshot.HUB).write_text(json.dumps(hub))

    result = check("--snapshot", str(copied))
    assert result.exit_code == 1
    assert (
        "BREAKING operation-removed hub-openapi.json $.paths['/v1/orders/{order_id}/refund'].post"
        in result.output
    )
    assert "1 breaking, 0 additive change(s)" in result.output


def test_an_event_field_the_hub_no_longer_emits_fails_the_check_as_json(copied):
    path = copied / "events" / "OrderAccepted.v1.json"
    schema = json.loads(path.read_text())
    schema["$defs"]["OrderAccepted"]["properties"]["margin"] = {"type": "string"}
    path.write_text(json.dumps(schema))

    result = check("--snapshot", str(copied), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [(b["document"], b["kind"], b["path"]) for b in report["breaking"]] == [
        ("events/OrderAccepted.v1.json", "field-removed", "$.properties.data.properties.margin")
    ]


def test_update_accepts_every_change_and_the_next_check_passes(copied):
    stale = copied / "events" / "OrderTeleported.v1.json"  # a type the hub no longer publishes
    stale.write_text(json.dumps({"type": "object"}))
    (copied / snapshot.SYSTEMS).unlink()

    updated = check("--snapshot", str(copied), "--update", "--json")
    assert updated.exit_code == 0
    report = json.loads(updated.output)
    assert [b["kind"] for b in report["breaking"]] == ["event-schema-removed"]
    assert {a["kind"] for a in report["additive"]} == {"operation-added"}
    assert not stale.exists()
    assert (copied / snapshot.SYSTEMS).exists()

    again = check("--snapshot", str(copied))
    assert again.exit_code == 0, again.output
    assert "0 breaking, 0 additive change(s)" in again.output


def test_a_description_change_is_reported_but_does_not_fail(copied):
    hub = json.loads((copied / snapshot.HUB).read_text())
    hub["info"]["description"] = "an older wording"
    (copied / snapshot.HUB).write_text(json.dumps(hub))

    result = check("--snapshot", str(copied))
    assert result.exit_code == 0
    assert "differs hub-openapi.json" in result.output
    assert "--update" in result.output


def test_check_teaches_through_its_help():
    result = check("--help")
    assert result.exit_code == 0
    for words in ("breaking", "--update", "JSON path", "beside"):
        assert words in result.output
