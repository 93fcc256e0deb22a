"""The email outbox: queued with the caller's transaction, delivered by a pluggable sender."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import db
from registry.notifications import senders
from registry.notifications.delivery import deliver_due
from registry.notifications.models import OutboxMessage, OutboxStatus
from registry.notifications.service import MAX_ATTEMPTS, queue_email
from tests import factories
from tests.helpers import RecordingSender, outbox, post_form


@pytest.fixture
def sender(app):
    original = senders.current_sender()
    recording = RecordingSender()
    senders.use_sender(app, recording)
    yield recording
    senders.use_sender(app, original)


def test_a_message_leaves_only_if_its_transaction_commits(app, sender):
    with db.session.begin_nested() as attempt:
        queue_email("a@example.org", "主题", "正文", kind="test")
        attempt.rollback()
    kept = queue_email("b@example.org", "主题", "正文", kind="test")
    assert [m.to_address for m in outbox("test")] == ["b@example.org"]
    result = deliver_due(sender)
    assert (result.sent, result.failed) == (1, 0)
    assert sender.sent == [
        {"to": "b@example.org", "subject": "主题", "body": "正文", "from": app.config["MAIL_FROM"]}
    ]
    db.session.refresh(kept)
    assert kept.status == OutboxStatus.sent and kept.sent_at is not None
    assert deliver_due(sender).sent == 0  # never sent twice


def test_failures_back_off_then_give_up(app):
    broken = RecordingSender(fail=True)
    message = queue_email("c@example.org", "s", "b", kind="test")
    assert deliver_due(broken).failed == 1
    db.session.refresh(message)
    assert message.status == OutboxStatus.queued and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > dt.datetime.now(dt.UTC)
    assert deliver_due(broken).failed == 0  # not due yet
    for _ in range(MAX_ATTEMPTS - 1):
        message.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
        deliver_due(broken)
        db.session.refresh(message)
    assert message.status == OutboxStatus.failed and message.attempts == MAX_ATTEMPTS


def test_cli_delivers_and_reports(cli, app, sender):
    queue_email("d@example.org", "s", "b", kind="test")
    db.session.commit()
    status = cli.invoke(args=["outbox", "status"])
    assert "queued: 1" in status.output
    result = cli.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed" in result.output
    assert [s["to"] for s in sender.sent] == ["d@example.org"]


def test_cli_requeues_given_up_messages(cli):
    message = queue_email("e@example.org", "s", "b", kind="test")
    message.status = OutboxStatus.failed
    message.attempts = MAX_ATTEMPTS
    db.session.commit()
    result = cli.invoke(args=["outbox", "retry-failed"])
    assert "1 requeued" in result.output
    db.session.refresh(message)
    assert message.status == OutboxStatus.queued and message.attempts == 0


def test_emails_go_out_after_the_response_when_enabled(app, client_en, sender):
    user = factories.user()
    app.config["OUTBOX_DELIVER_AFTER_REQUEST"] = True
    try:
        response = post_form(client_en, "/password/forgot", {"email": user.email})
        assert response.status_code == 200  # sent once the response was out and closed
    finally:
        app.config["OUTBOX_DELIVER_AFTER_REQUEST"] = False
    assert [s["to"] for s in sender.sent] == [user.email]
    assert "/password/reset/" in sender.sent[0]["body"]
    [message] = outbox("reset_password")
    db.session.refresh(message)
    assert message.status == OutboxStatus.sent


class FakeSMTP:
    instances: list = []

    def __init__(self, host, port, timeout):
        self.host, self.port, self.calls = host, port, []
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.calls.append(("send", message["To"], message["Subject"], message.get_content()))


def test_smtp_sender_when_configured(monkeypatch):
    from registry import create_app
    from registry.config import TEST_OVERRIDES

    monkeypatch.setattr(senders.smtplib, "SMTP", FakeSMTP)
    smtp_app = create_app(
        {
            **TEST_OVERRIDES,
            "DATABASE_URL": "sqlite://",
            "SMTP_HOST": "smtp.example.org",
            "SMTP_PORT": 2525,
            "SMTP_USER": "registry",
            "SMTP_PASSWORD": "secret",
            "MAIL_FROM": "registry@example.org",
        }
    )
    with smtp_app.app_context():
        sender = senders.current_sender()
        assert isinstance(sender, senders.SmtpSender)
        sender.send(
            to="f@example.org", subject="您好", body="正文\n", sender="registry@example.org"
        )
    [smtp] = FakeSMTP.instances
    assert (smtp.host, smtp.port) == ("smtp.example.org", 2525)
    assert smtp.calls[:2] == ["starttls", ("login", "registry", "secret")]
    assert smtp.calls[2] == ("send", "f@example.org", "您好", "正文\n")


def test_log_sender_without_smtp(app, caplog):
    assert isinstance(senders.current_sender(), senders.LogSender)
    with caplog.at_level("INFO", logger="registry.mail"):
        senders.LogSender().send(to="g@example.org", subject="s", body="b", sender="x@y.cn")
    assert "g@example.org" in caplog.text


def test_repr():
    assert "queued" in repr(
        OutboxMessage(id=1, kind="k", to_address="a@b.cn", status=OutboxStatus.queued)
    )
