"""Configuration read from the environment (REGISTRY_* variables) when the app is made."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "dev-only-not-secret"
MIN_SECRET_KEY_LENGTH = 32
MODES = ("development", "production", "testing")
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. the default secret key in production)."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting, read from `env` (default: os.environ)."""
    env = os.environ if env is None else env
    mode = env.get("REGISTRY_ENV", "development")
    secure = _bool(env, "REGISTRY_SECURE_COOKIES", mode == "production")
    return {
        "ENV": mode,
        "SECRET_KEY": env.get("REGISTRY_SECRET_KEY", DEFAULT_SECRET_KEY),
        "DATABASE_URL": env.get("REGISTRY_DATABASE_URL"),
        "ALLOW_SQLITE_IN_PRODUCTION": _bool(env, "REGISTRY_ALLOW_SQLITE", False),
        "DEBUG": _bool(env, "REGISTRY_DEBUG", False),
        "SQL_ECHO": _bool(env, "REGISTRY_SQL_ECHO", False),
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": ("zh", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "MAX_CONTENT_LENGTH": int(env.get("REGISTRY_MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "UPLOAD_DIR": env.get("REGISTRY_UPLOAD_DIR"),
        "ATTACHMENT_MAX_BYTES": int(env.get("REGISTRY_ATTACHMENT_MAX_MB", "10")) * 1024 * 1024,
        "OPENDATA_DIR": env.get("REGISTRY_OPENDATA_DIR"),
        "LISTING_CACHE_SIZE": int(env.get("REGISTRY_LISTING_CACHE", "256")),
        "EXPORT_MAX_ROWS": int(env.get("REGISTRY_EXPORT_MAX_ROWS", "200000")),
        # accounts: links in emails, sign-in throttling
        "BASE_URL": env.get("REGISTRY_BASE_URL", "").rstrip("/"),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(env.get("REGISTRY_LOGIN_MAX_FAILURES", "5")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(env.get("REGISTRY_LOGIN_MAX_FAILURES_ADDRESS", "20")),
        "LOGIN_THROTTLE_MINUTES": int(env.get("REGISTRY_LOGIN_THROTTLE_MINUTES", "15")),
        "ARGON2_TIME_COST": int(env.get("REGISTRY_ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_KIB": int(env.get("REGISTRY_ARGON2_MEMORY_KIB", "65536")),
        # notifications: SMTP when a host is set, else the log
        "SMTP_HOST": env.get("REGISTRY_SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("REGISTRY_SMTP_PORT", "587")),
        "SMTP_USER": env.get("REGISTRY_SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("REGISTRY_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env, "REGISTRY_SMTP_STARTTLS", True),
        "SMTP_SSL": _bool(env, "REGISTRY_SMTP_SSL", False),
        "MAIL_FROM": env.get("REGISTRY_MAIL_FROM", "registry@localhost"),
        "OUTBOX_DELIVER_AFTER_REQUEST": _bool(env, "REGISTRY_OUTBOX_DELIVER_AFTER_REQUEST", True),
        # operations: logs, proxies in front
        "LOG_LEVEL": env.get("REGISTRY_LOG_LEVEL", "INFO").strip().upper(),
        "LOG_FORMAT": env.get("REGISTRY_LOG_FORMAT", "text").strip().lower(),
        "PROXY_FIX": env.get("REGISTRY_PROXY_FIX", "0").strip(),
        # API rate limits: requests per window, by token holder, registered client, address
        "API_RATE_LIMIT": _bool(env, "REGISTRY_API_RATE_LIMIT", True),
        "API_RATE_WINDOW": max(1, int(env.get("REGISTRY_API_RATE_WINDOW", "60"))),
        "API_RATE_PER_TOKEN": int(env.get("REGISTRY_API_RATE_PER_TOKEN", "600")),
        "API_RATE_PER_CLIENT": int(env.get("REGISTRY_API_RATE_PER_CLIENT", "300")),
        "API_RATE_PER_ADDRESS": int(env.get("REGISTRY_API_RATE_PER_ADDRESS", "60")),
        "API_CLIENT_IDS": frozenset(
            env.get("REGISTRY_API_CLIENT_IDS", "").replace(",", " ").split()
        ),
        # HTTP caching of the public's reads: 0 = revalidate every time (ETag)
        "CACHE_MAX_AGE": int(env.get("REGISTRY_CACHE_MAX_AGE", "0")),
    }


TEST_OVERRIDES: dict[str, Any] = {
    "ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
    # cheap hashes keep the suite fast; production keeps Argon2id's defaults
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 1024,
    # tests deliver the outbox explicitly
    "OUTBOX_DELIVER_AFTER_REQUEST": False,
    # the rate limits' own tests turn them on
    "API_RATE_LIMIT": False,
}


def default_sqlite_url(instance_path: str) -> str:
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(instance_path) / "registry.sqlite3")


def validate(config: Mapping[str, Any]) -> None:
    """Refuse settings that cannot work, and those that must never reach production; raises
    ConfigError naming every problem at once."""
    problems = _general_problems(config)
    if config.get("ENV") == "production":
        problems += _production_problems(config)
    if problems:
        raise ConfigError("; ".join(problems))


def proxy_count(config: Mapping[str, Any]) -> int:
    """How many proxies in front set X-Forwarded-* (REGISTRY_PROXY_FIX; 0: none trusted)."""
    value = config.get("PROXY_FIX") or 0
    count = int(value) if str(value).isdigit() else -1
    if not 0 <= count <= 5:
        raise ConfigError("REGISTRY_PROXY_FIX must be the number of proxies in front, 0 to 5")
    return count


def _general_problems(config: Mapping[str, Any]) -> list[str]:
    problems = []
    if config.get("ENV") not in MODES:
        problems.append("REGISTRY_ENV must be development or production")
    if config.get("LOG_FORMAT", "text") not in LOG_FORMATS:
        problems.append("REGISTRY_LOG_FORMAT must be text or json")
    if config.get("LOG_LEVEL", "INFO") not in LOG_LEVELS:
        problems.append("REGISTRY_LOG_LEVEL must be one of " + ", ".join(LOG_LEVELS))
    try:
        proxy_count(config)
    except ConfigError as exc:
        problems.append(str(exc))
    return problems


def _production_problems(config: Mapping[str, Any]) -> list[str]:
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"REGISTRY_SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters in production"
        )
    url = config.get("DATABASE_URL") or ""
    if url.startswith("sqlite") and not config.get("ALLOW_SQLITE_IN_PRODUCTION"):
        problems.append("production needs PostgreSQL (set REGISTRY_ALLOW_SQLITE=1 to override)")
    if config.get("DEBUG"):
        problems.append("REGISTRY_DEBUG must be off in production")
    return problems
