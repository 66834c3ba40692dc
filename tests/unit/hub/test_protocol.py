"""Operations, failure kinds and call ids keep the text that rows, URLs and pacts carry."""

from __future__ import annotations

import json

from reference.hub import FailureKind, Operation, call_id
from reference.hub.protocol import shipment_wait_id


def test_call_ids_keep_the_form_stored_rows_and_systems_dedupe_on():
    assert call_id("SO-0000042", Operation.CHECK_ORDER, "erp") == "SO-0000042:check_order:erp"
    assert call_id("SO-7", Operation.RATE, "tms", "DC-ATL") == "SO-7:rate:tms:DC-ATL"
    assert call_id("SO-7", Operation.RELEASE, "wms:DC-ATL") == "SO-7:release:wms:DC-ATL"
    assert shipment_wait_id("SO-7", "DC-ATL") == "SO-7:shipment:DC-ATL"


def test_operations_and_failure_kinds_read_back_from_their_stored_text():
    stored = json.loads(
        json.dumps({"operation": Operation.POST_INVOICE, "kind": FailureKind.THROTTLED})
    )
    assert stored == {"operation": "post_invoice", "kind": "429"}
    assert Operation(stored["operation"]) is Operation.POST_INVOICE
    assert FailureKind(stored["kind"]) is FailureKind.THROTTLED
    assert {"release": 1}[Operation.RELEASE] == 1  # a member finds rows keyed by the old text


def test_the_failure_kinds_are_the_five_the_ports_report():
    assert sorted(FailureKind) == ["429", "4xx", "5xx", "timeout", "unavailable"]
