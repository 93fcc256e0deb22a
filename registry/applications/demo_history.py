"""One demo application's history, played through the real transition table (so the demo
never holds a state the workflow could not reach), as rows for bulk inserts."""

from __future__ import annotations

import datetime as dt
import random

from registry.applications.models import (
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    ApplicationStep,
)
from registry.applications.service import TRANSITIONS, Move
from registry.carriers.levels import Level
from registry.carriers.models import Recognition
from registry.regions.models import Region

A = ApplicationAction
DEMO_NOW = dt.datetime(2026, 6, 30, 8, 0, tzinfo=dt.UTC)

RETURN_COMMENTS = [
    "请补充在孵企业名单及营业执照复印件。",
    "孵化场地面积与租赁合同不一致, 请核实后重新填报。",
    "请补充近两年的火炬统计报表。",
    "创业导师名单缺少聘用协议, 请补充。",
]
REJECT_COMMENTS = [
    "运营时间不满足认定条件。",
    "孵化场地为临时租赁, 不符合认定条件。",
    "在孵企业数量未达到标准。",
]
# (weight, plan maker): how the demo applications stand


class History:
    """One application's history played through the transition table."""

    def __init__(self, writer, app_id, c, level, chain, owner_id, start) -> None:
        self.w, self.id, self.c, self.level, self.chain = writer, app_id, c, level, chain
        self.owner_id, self.now, self.created = owner_id, start, start
        self.status = ApplicationStatus.draft
        self.version, self.round, self.position = 1, 0, None
        self.steps: list[int] = []
        self.submitted_at = None
        self.recognition_id = None

    def play(self, action: ApplicationAction) -> None:
        t = TRANSITIONS[(self.status, action)]
        self.now = min(self.now + dt.timedelta(days=self.w.rng.randint(1, 12)), DEMO_NOW)
        from_step = self.steps[self.position] if self.position is not None else None
        actor = self._actor(action)
        self._move(t.move)
        to_step = self.steps[self.position] if self.position is not None else None
        extra = self._decision(action)
        from_status, self.status = self.status, t.to
        self.version += 1
        self.w._add(
            "events",
            {
                "id": self.w.ids[ApplicationEvent].take(),
                "application_id": self.id,
                "version": self.version,
                "round": self.round,
                "action": action.value,
                "actor_id": actor,
                "from_status": from_status.value,
                "to_status": self.status.value,
                "from_step_id": from_step,
                "to_step_id": to_step,
                "occurred_at": self.now,
                **extra,
            },
        )

    def _actor(self, action: ApplicationAction) -> int:
        if action in (A.submit, A.withdraw):
            return self.owner_id
        return self.w.reviewer(self.chain[self.position])

    def _move(self, move: Move) -> None:
        if move == Move.first:
            self.round += 1
            self.submitted_at = self.now
            self.steps = []
            for i, region in enumerate(self.chain):
                step_id = self.w.ids[ApplicationStep].take()
                self.steps.append(step_id)
                self.w._add(
                    "steps",
                    {
                        "id": step_id,
                        "application_id": self.id,
                        "round": self.round,
                        "position": i,
                        "region_id": region.id,
                        "is_final": i == len(self.chain) - 1,
                    },
                )
            self.position = 0
        elif move == Move.next:
            self.position += 1
        else:
            self.position = None

    def _decision(self, action: ApplicationAction) -> dict:
        rng = self.w.rng
        if action == A.return_:
            return {"comment": rng.choice(RETURN_COMMENTS), "document_no": "", "data": {}}
        if action == A.reject:
            return {"comment": rng.choice(REJECT_COMMENTS), "document_no": "", "data": {}}
        if action != A.approve:
            return {"comment": "", "document_no": "", "data": {}}
        granting = self.chain[-1]
        number = _document_no(granting, self.level, self.now.year, rng)
        self.recognition_id = self.w.ids[Recognition].take()
        self.w._add(
            "recognitions",
            {
                "id": self.recognition_id,
                "carrier_id": self.c.id,
                "level": int(self.level),
                "recognized_on": self.now.date(),
                "document_no": number,
                "granted_by_id": granting.id,
                "revoked_on": None,
                "revocation_reason": None,
                "revocation_document_no": "",
                "source": "workflow",
                "created_at": self.now,
            },
        )
        data = {"recognized_on": self.now.date().isoformat(), "recognition_id": self.recognition_id}
        return {"comment": "", "document_no": number, "data": data}

    def row(self) -> dict:
        closed = self.status in (
            ApplicationStatus.approved,
            ApplicationStatus.rejected,
            ApplicationStatus.withdrawn,
        )
        return {
            "id": self.id,
            "carrier_id": self.c.id,
            "level": int(self.level),
            "status": self.status.value,
            "version": self.version,
            "round": self.round,
            "step_position": self.position,
            "created_by_id": self.owner_id,
            "created_at": self.created,
            "updated_at": self.now,
            "submitted_at": self.submitted_at,
            "state_changed_at": self.now,
            "closed_at": self.now if closed else None,
            "recognition_id": self.recognition_id,
        }


def _document_no(granting: Region, level: Level, year: int, rng: random.Random) -> str:
    n = rng.randint(1, 320)
    if level == Level.national:
        return f"国科火字〔{year}〕{n}号"
    if level == Level.provincial:
        return f"{granting.name[:1]}科高〔{year}〕{n}号"
    return f"{granting.name.rstrip('市区县')}科发〔{year}〕{n}号"
