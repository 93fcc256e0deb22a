"""Recognitions are history: standing as of a date, grants and revocations."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import audit
from registry.carriers.levels import Level
from registry.carriers.models import CarrierStatus, RecognitionSource
from registry.carriers.queries import carrier_standing
from registry.carriers.service import grant_recognition
from registry.errors import Conflict, ValidationError
from tests import factories as f


def standing(carrier, day: str):
    return carrier_standing(carrier.id, dt.date.fromisoformat(day))


def test_standing_follows_the_history(app):
    carrier = f.create_carrier(region_code="511402")
    municipal = f.recognize(carrier, "municipal", "2017-03-01")
    f.recognize(carrier, "provincial", "2020-06-15")
    f.revoke(municipal, "2021-01-01")

    assert standing(carrier, "2017-02-28").status == CarrierStatus.unrecognized
    assert standing(carrier, "2017-03-01").level == Level.municipal  # from that day on
    assert standing(carrier, "2020-06-14").level == Level.municipal
    assert standing(carrier, "2020-06-15").level == Level.provincial  # upgraded
    assert standing(carrier, "2022-01-01").level == Level.provincial  # lower title revoked


def test_revocation_takes_effect_on_its_day(app):
    carrier = f.create_carrier(region_code="511402")
    recognition = f.recognize(carrier, "county", "2018-01-01")
    f.revoke(recognition, "2020-05-01")
    assert standing(carrier, "2020-04-30").status == CarrierStatus.recognized
    after = standing(carrier, "2020-05-01")
    assert after.status == CarrierStatus.revoked and after.level is None
    assert after.top_level == Level.county


def test_a_future_date_or_a_wrong_granting_region_is_refused(app):
    carrier = f.create_carrier(region_code="511402")
    with pytest.raises(ValidationError) as err:
        grant_recognition(
            carrier,
            level=Level.provincial,
            recognized_on=dt.date(2999, 1, 1),
            document_no="x",
            granted_by=f.region("511400"),
            source=RecognitionSource.manual,
        )
    assert set(err.value.fields) == {"recognized_on", "granted_by"}


def test_no_second_active_recognition_at_the_same_level(app):
    carrier = f.create_carrier(region_code="511402")
    f.recognize(carrier, "county", "2018-01-01")
    with pytest.raises(Conflict):
        f.recognize(carrier, "county", "2019-01-01")


def test_revocation_rules(app):
    carrier = f.create_carrier(region_code="511402")
    recognition = f.recognize(carrier, "county", "2018-01-01")
    with pytest.raises(ValidationError) as err:
        f.revoke(recognition, "2017-12-31")
    assert "revoked_on" in err.value.fields
    with pytest.raises(ValidationError) as err:
        f.revoke(recognition, "2019-01-01", reason="  ")
    assert "reason" in err.value.fields
    f.revoke(recognition, "2019-01-01")
    with pytest.raises(Conflict):
        f.revoke(recognition, "2019-02-01")


def test_grants_and_revocations_are_audited(app):
    carrier = f.create_carrier(region_code="511402")
    recognition = f.recognize(carrier, "county", "2018-01-01")
    f.revoke(recognition, "2019-01-01")
    actions = [e.action for e in audit.events_for("recognition", recognition.id)]
    assert actions == ["recognition.grant", "recognition.revoke"]


def test_listing_cache_sees_a_new_recognition_at_once(client, app):
    from registry import db

    carrier = f.create_carrier("缓存测试孵化器", region_code="511402")
    db.session.commit()
    assert client.get("/api/v1/carriers?q=缓存测试").json["total"] == 0
    f.recognize(carrier, "county", "2018-01-01")
    db.session.commit()
    assert client.get("/api/v1/carriers?q=缓存测试").json["total"] == 1
