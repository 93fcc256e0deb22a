"""The demo's applications: every status, histories the transition table allows, and the
demo organisations see the workflow in their workspaces."""

from __future__ import annotations

from sqlalchemy import select

from registry import db
from registry.accounts.models import User
from registry.applications.models import Application, ApplicationEvent, ApplicationStatus
from registry.applications.service import TRANSITIONS
from registry.carriers.models import Carrier, RecognitionSource
from registry.demo import generate_demo
from registry.regions.models import Region


def test_demo_applications_in_every_status_with_valid_histories(app):
    result = generate_demo(n_carriers=400, seed=2016)
    assert any("applications" in line for line in result.extras)
    applications = list(db.session.scalars(select(Application).order_by(Application.id)))
    assert {a.status for a in applications} == set(ApplicationStatus)
    events = list(db.session.scalars(select(ApplicationEvent).order_by(ApplicationEvent.id)))
    by_application: dict[int, list[ApplicationEvent]] = {}
    for event in events:
        by_application.setdefault(event.application_id, []).append(event)
    for application in applications:
        status, version = ApplicationStatus.draft, 1
        for event in by_application.get(application.id, []):
            assert event.from_status == status
            assert TRANSITIONS[(status, event.action)].to == event.to_status
            status, version = event.to_status, event.version
        assert (status, version) == (application.status, application.version)
        if application.status == ApplicationStatus.in_review:
            assert application.current_step is not None
        if application.status == ApplicationStatus.approved:
            recognition = application.recognition
            assert recognition.source == RecognitionSource.workflow
            assert recognition.granted_by_id == application.chain[-1].region_id
    direct = db.session.scalars(select(Region.code).where(Region.is_direct_to_province)).all()
    assert "511421" in direct
    carrier1 = db.session.scalar(select(User).where(User.email == "carrier1@registry.example"))
    own = db.session.scalars(
        select(Application.status).join(Carrier).where(Carrier.owner_id == carrier1.id)
    ).all()
    assert ApplicationStatus.returned in own
