"""Money: a Decimal amount with an ISO 4217 currency, never a float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, WithJsonSchema

from reference.domain.errors import InvalidMoney

# Minor units of the currencies a distributor meets routinely; others default to 2.
MINOR_UNITS: dict[str, int] = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}
CENT = Decimal("0.01")
# The rule and its JSON Schema are one statement, so the OpenAPI cannot promise more than this.
CURRENCY_PATTERN = r"^[A-Z]{3}$"


def _iso_currency(code: str) -> str:
    if re.fullmatch(CURRENCY_PATTERN, code) is None:
        raise ValueError(f"currency {code!r} is not an ISO 4217 code such as 'USD' or 'EUR'")
    return code


Currency = Annotated[
    str,
    AfterValidator(_iso_currency),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": CURRENCY_PATTERN,
            "description": "ISO 4217 code",
            "examples": ["USD"],
        }
    ),
]


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-even to the currency's minor unit, as ledgers do."""
    exponent = Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))
    return amount.quantize(exponent, rounding=ROUND_HALF_EVEN)


class Money(BaseModel):
    """An amount in one currency. Arithmetic across currencies is an error, not a conversion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal
    currency: Currency

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidMoney(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def times(self, quantity: int | Decimal) -> Money:
        return Money(amount=self.amount * quantity, currency=self.currency)

    def rounded(self) -> Money:
        return Money(amount=quantize(self.amount, self.currency), currency=self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=Decimal(0), currency=currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
