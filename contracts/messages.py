"""Provider verification of the hub's message pacts: the real core makes each message and the real
serializer writes it.

Theory of operation. Every pact in ``pact_dir`` whose provider is the hub and which describes
asynchronous messages is one pair. Pact's Verifier asks the hub for each described message; the
producer reads the provider state the consumer gave it together with the event it expects from
that state (``given("a line is short picked", event="LineShortPicked")``), runs the state's story
through the hub core from scratch (contracts/provider_states.py) and serializes the first event
of that type with ``Event.to_cloudevent()``, the same call that fills the service's outbox. No
message is written by hand here, so a pact passes only if the code that publishes events keeps it.

``transform`` rewrites each CloudEvent between the serializer and the wire. It exists so a test
can break the serializer on purpose and see which interactions notice.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pact import Verifier
from pact.types import Message

from contracts.matrix import PairResult
from contracts.participants import HUB
from contracts.provider_states import events_for
from reference.domain.events import EventType

MESSAGE = "Asynchronous/Messages"  # a V4 pact's interaction type for an event a consumer reads
CONTENT_TYPE = "application/json"
EVENT_PARAM = "event"  # the provider-state parameter naming the event the consumer expects

Transform = Callable[[dict[str, Any]], dict[str, Any]]


class MessageNotProduced(LookupError):
    """The hub cannot make the message an interaction describes; the text says why."""


@dataclass(frozen=True, slots=True)
class MessagePact:
    path: Path
    consumer: str
    interactions: int
    others: int = 0  # interactions of another kind (HTTP) in the same file: not verified here


def message_pacts(pact_dir: Path) -> Iterator[MessagePact]:
    """The pacts in ``pact_dir`` in which the hub publishes messages, by file name."""
    for path in sorted(pact_dir.glob("*.json")):
        document = json.loads(path.read_text())
        if document["provider"]["name"] != HUB:
            continue
        kinds = [i.get("type") for i in document.get("interactions", ())]
        count = kinds.count(MESSAGE)
        if count:
            yield MessagePact(path, document["consumer"]["name"], count, len(kinds) - count)


def produce(
    description: str, states: list[Mapping[str, Any]], transform: Transform | None = None
) -> bytes:
    """The CloudEvent JSON the hub publishes for one interaction, made by the core."""
    named = [s for s in states if EVENT_PARAM in (s.get("params") or {})]
    if len(named) != 1:
        raise MessageNotProduced(
            f"{description!r} must name one provider state and the event it expects from it, "
            f"as given(state, {EVENT_PARAM}='OrderAccepted'); got states {states}"
        )
    state, wanted = str(named[0]["name"]), str(named[0]["params"][EVENT_PARAM])
    try:
        kind = EventType(wanted)
    except ValueError:
        raise MessageNotProduced(
            f"{description!r} expects {wanted!r}, which is not an event the hub publishes: "
            f"{', '.join(EventType)}"
        ) from None
    published = events_for(state)
    event = next((e for e in published if e.type is kind), None)
    if event is None:
        raise MessageNotProduced(
            f"{description!r}: when {state!r}, the hub publishes "
            f"{[e.type.value for e in published]}, and no {kind}"
        )
    body = event.to_cloudevent()
    if transform is not None:
        body = transform(body)
    return json.dumps(body).encode()


class _Producer:
    """Pact's message handler for one verification; remembers why a message could not be made,
    since the verifier itself only sees the relay's HTTP 500 page."""

    def __init__(self, transform: Transform | None) -> None:
        self.transform = transform
        self.refused: dict[str, str] = {}  # interaction description -> error

    def __call__(self, name: str, metadata: dict[str, Any] | None) -> Message:
        states = list((metadata or {}).get("providerStates") or [])
        try:
            contents = produce(name, states, self.transform)
        except Exception as error:
            self.refused[name] = f"the hub could not produce it: {type(error).__name__}: {error}"
            raise
        return Message(contents=contents, metadata=None, content_type=CONTENT_TYPE)


def _failures(results: Mapping[str, Any], refused: Mapping[str, str]) -> list[str]:
    """One line per failed interaction, naming it, from the verifier's JSON results."""
    failures = []
    for outcome in results.get("interactionResults", ()):
        if outcome.get("result") == "OK":
            continue
        description = outcome["description"]
        mismatch = outcome.get("mismatch") or {}
        details = [
            f"{m.get('path', '')} {m.get('mismatch', '')}".strip()
            for m in mismatch.get("mismatches", ())
        ] or [str(mismatch.get("message") or mismatch or outcome.get("result"))]
        if description in refused:
            details = [refused[description]]
        failures.append(f"{description}: {'; '.join(details)}")
    return failures


def _close_relay(verifier: Verifier) -> None:
    """Close the listening socket of pact's message relay, which pact-python 4.2 shuts down but
    never closes (an unclosed-socket ResourceWarning, an error under our warning filters).

    Private attributes, because there is no public way: the alternative is running our own relay
    server, a copy of pact's. Once pact closes it, server_close() is a harmless second close.
    """
    server = getattr(getattr(verifier, "_message_producer", None), "_server", None)
    if server is not None:
        server.server_close()


def verify_pact(pact: MessagePact, transform: Transform | None = None) -> PairResult:
    """Verify one consumer's message pact against the hub core and serializer."""
    producer = _Producer(transform)
    verifier = (
        Verifier(HUB)
        .message_handler(producer)
        .add_source(pact.path)
        .set_coloured_output(enabled=False)
    )
    # A failed interaction makes verify() raise RuntimeError; the results say which one failed.
    with contextlib.suppress(RuntimeError):
        verifier.verify()
    _close_relay(verifier)
    results = verifier.results
    failures = _failures(results, producer.refused)
    if not failures and not results.get("result", False):
        failures = [f"{pact.path.name}: the verifier failed: {verifier.output(strip_ansi=True)}"]
    checked = len(results.get("interactionResults", ()))
    if pact.others:
        failures.append(
            f"{pact.path.name}: {pact.others} interaction(s) are not messages; a consumer keeps "
            "its HTTP and its message pacts with the hub in separate files"
        )
    elif checked != pact.interactions:
        failures.append(
            f"{pact.path.name}: {checked} of {pact.interactions} interactions were verified"
        )
    return PairResult(pact.consumer, HUB, "message", checked, tuple(failures))


def verify_messages(pact_dir: Path, transform: Transform | None = None) -> list[PairResult]:
    """One PairResult per consumer whose message pact in ``pact_dir`` names the hub."""
    return [verify_pact(pact, transform) for pact in message_pacts(pact_dir)]
