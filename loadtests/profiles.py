"""Load profiles (loadtests/profiles.yaml), validated, with the command line's overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

PROFILES = Path(__file__).with_name("profiles.yaml")
_UNITS = {"s": 1, "m": 60, "h": 3600}


def seconds(value: Any) -> float:
    """``90``, ``"90s"``, ``"15m"`` or ``"2h"`` as seconds."""
    text = str(value).strip()
    unit = text[-1:] if text[-1:] in _UNITS else "s"
    number = text[:-1] if text[-1:] in _UNITS else text
    try:
        return float(number) * _UNITS[unit]
    except ValueError:
        raise ValueError(
            f"a duration is seconds or a number with s, m or h, not {value!r}"
        ) from None


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    users: int = Field(ge=1, le=10_000)
    spawn_rate: float = Field(gt=0)
    duration: float = Field(gt=0)
    shape: Literal["spike", "step", "soak"] = "soak"
    mix: dict[str, int]

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return seconds(value)


def profile_names() -> list[str]:
    return sorted(yaml.safe_load(PROFILES.read_text()))


def load_profile(name: str, **overrides: Any) -> Profile:
    """The named profile, with any override that is not None; errors name the bad value."""
    profiles = yaml.safe_load(PROFILES.read_text())
    if name not in profiles:
        raise ValueError(f"no load profile {name!r}; choose one of {', '.join(sorted(profiles))}")
    data = {"name": name, **profiles[name]}
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})"
            for e in error.errors()
        )
        raise ValueError(f"load profile {name!r}: {problems}") from None
