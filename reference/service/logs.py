"""Logging for the service process: every line carries the request's correlation id."""

from __future__ import annotations

from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A uvicorn ``log_config`` whose handlers stamp the correlation id on every record."""
    filters = {"correlation": {"()": "reference.service.correlation.CorrelationFilter"}}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "filters": ["correlation"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": filters,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["default"], "level": "WARNING", "propagate": False},
            "crossdock": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }
