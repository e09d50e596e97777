"""Defaults and environment variables, each written once: every front end, the schema and the docs read them."""

from __future__ import annotations

__all__ = ["API_PREFIX", "DEFAULT_BASE_URL", "DEFAULT_CONCURRENCY", "DEFAULT_RETRIES", "DEFAULT_TIMEOUT",
           "DEFAULT_WAIT_TIMEOUT", "DEFAULT_BASE_WORKERS", "ENV_ACCESS_KEY", "ENV_BASE_URL", "ENV_SECRET_KEY"]

DEFAULT_BASE_URL = "https://api.alayanew.com"
API_PREFIX = "/api/serverless-infer/v1"
ENV_ACCESS_KEY = "ALAYA_ACCESS_KEY"
ENV_SECRET_KEY = "ALAYA_SECRET_KEY"
ENV_BASE_URL = "ALAYA_BASE_URL"

DEFAULT_TIMEOUT = 30.0  # seconds one HTTP request may take
DEFAULT_RETRIES = 3  # attempts more after a transient failure
DEFAULT_WAIT_TIMEOUT = 600.0  # seconds a wait (until running, stopped, gone) may take: the Pulumi input's too
DEFAULT_CONCURRENCY = 16  # requests at once over the one pool (batch reads, the lookup)
DEFAULT_BASE_WORKERS = 1  # a base model's workers when none are asked for: one instance, the docs' example
