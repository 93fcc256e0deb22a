"""Ways to send an email: SMTP when REGISTRY_SMTP_HOST is set, else the application log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from flask import Flask, current_app

log = logging.getLogger("registry.mail")


class Sender(Protocol):
    """Sends one email; raises any exception when it could not."""

    def send(self, *, to: str, subject: str, body: str, sender: str) -> None: ...


class LogSender:
    """Writes each email to the log (development, and deployments without mail)."""

    def send(self, *, to: str, subject: str, body: str, sender: str) -> None:
        log.info("email from %s to %s: %s\n%s", sender, to, subject, body)


class SmtpSender:
    """Delivers through an SMTP server (STARTTLS or SSL, optional login)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.host = config["SMTP_HOST"]
        self.port = config["SMTP_PORT"]
        self.user = config.get("SMTP_USER") or ""
        self.password = config.get("SMTP_PASSWORD") or ""
        self.starttls = config.get("SMTP_STARTTLS", True)
        self.ssl = config.get("SMTP_SSL", False)
        self.timeout = 15

    def send(self, *, to: str, subject: str, body: str, sender: str) -> None:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        message.set_content(body)
        smtp_class = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls and not self.ssl:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


_EXTENSION = "registry.mail_sender"


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = (
        SmtpSender(app.config) if app.config.get("SMTP_HOST") else LogSender()
    )


def use_sender(app: Flask, sender: Sender) -> None:
    """Plug in another sender (tests record emails this way)."""
    app.extensions[_EXTENSION] = sender


def current_sender() -> Sender:
    return current_app.extensions[_EXTENSION]
