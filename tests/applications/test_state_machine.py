"""Property: no sequence of actions by any actors reaches a state the specification's table
does not allow, every refused action changes nothing, and every state change leaves exactly
one event (Hypothesis stateful testing against an independent model of SPEC section 3)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from registry import db
from registry.accounts.models import User
from registry.applications.drafts import create_application, update_figures
from registry.applications.models import OPEN_STATUSES, Application, ApplicationEvent
from registry.applications.service import apply_action
from registry.errors import RegistryError
from tests import factories
from tests.applications.factories import CHAIN_CODES, full_figures

# SPEC section 3, written out again here: (status, action) -> status after
SPEC = {
    ("draft", "submit"): "in_review",
    ("returned", "submit"): "in_review",
    ("draft", "withdraw"): "withdrawn",
    ("in_review", "withdraw"): "withdrawn",
    ("returned", "withdraw"): "withdrawn",
    ("in_review", "recommend"): "in_review",
    ("in_review", "approve"): "approved",
    ("in_review", "return"): "returned",
    ("in_review", "reject"): "rejected",
}
OWNER_ACTIONS = {"submit", "withdraw"}
ACTORS = ["owner", "other_carrier", "county", "city", "province", "country", "chengdu", "admin"]
REGION_OF = {
    "county": "511402",
    "city": "511400",
    "province": "510000",
    "country": "000000",
    "chengdu": "510100",
}
LEVELS = ["county", "municipal", "provincial", "national"]


@dataclass
class Model:
    """What the specification says the application should be."""

    status: str
    level: str
    step: int | None = None
    events: int = 0
    version: int = 1
    complete: bool = True

    @property
    def chain(self) -> list[str]:
        return CHAIN_CODES[self.level]

    def expects(self, actor: str, action: str, comment: str, number: str, stale: bool) -> bool:
        """Whether the spec allows this action now (and so whether it must succeed)."""
        if stale or (self.status, action) not in SPEC:
            return False
        if action in OWNER_ACTIONS:
            return actor == "owner" and (action != "submit" or self.complete)
        at = self.chain[self.step]
        if actor != "admin" and REGION_OF.get(actor) != at:
            return False
        last = self.step == len(self.chain) - 1
        return {
            "recommend": not last,
            "approve": last and bool(number),
            "return": bool(comment),
            "reject": bool(comment),
        }[action]

    def apply(self, action: str) -> None:
        self.status = SPEC[(self.status, action)]
        self.events += 1
        self.version += 1
        if action == "submit":
            self.step = 0
        elif action == "recommend":
            self.step += 1
        else:
            self.step = None


class Workflow(RuleBasedStateMachine):
    user_ids: dict[str, int] = {}

    def __init__(self) -> None:
        super().__init__()
        self.users = {name: db.session.get(User, uid) for name, uid in self.user_ids.items()}
        self.savepoint = db.session.begin_nested()
        self.carrier = factories.create_carrier(owner=self.users["owner"], region_code="511402")
        self.application: Application | None = None
        self.model: Model | None = None
        self.levels_held: set[str] = set()

    def teardown(self) -> None:
        self.savepoint.rollback()
        # SQLite hands out rolled-back ids again: no object of this example may linger
        db.session.expunge_all()

    def _attempt(self, call) -> bool:
        attempt = db.session.begin_nested()
        try:
            call()
        except RegistryError:
            attempt.rollback()
            return False
        attempt.commit()
        return True

    @precondition(
        lambda self: (
            self.model is None or self.model.status not in ("draft", "in_review", "returned")
        )
    )
    @rule(level=st.sampled_from(LEVELS), complete=st.booleans())
    def start(self, level: str, complete: bool) -> None:
        figures = full_figures(self.carrier) if complete else {}
        done = self._attempt(
            lambda: setattr(
                self,
                "_new",
                create_application(
                    self.carrier, level=level, figures=figures, actor=self.users["owner"]
                ),
            )
        )
        highest = max((LEVELS.index(x) for x in self.levels_held), default=-1)
        assert done == (LEVELS.index(level) > highest)
        if done:
            self.application = self._new
            self.model = Model("draft", level, complete=complete)

    @precondition(lambda self: self.model is not None)
    @rule(
        actor=st.sampled_from(ACTORS),
        action=st.sampled_from([*sorted({a for _s, a in SPEC}), "bogus"]),
        comment=st.sampled_from(["", "  ", "请补充在孵企业名单"]),
        number=st.sampled_from(["", "川科高〔2026〕1号"]),
        stale=st.booleans(),
    )
    def act(self, actor: str, action: str, comment: str, number: str, stale: bool) -> None:
        self._act(actor, action, comment, number, stale)

    @precondition(lambda self: self.model is not None)
    @rule(
        # weighted toward moving on, so that runs reach the last step of long chains
        action=st.sampled_from(
            ["submit"] * 2 + ["recommend"] * 5 + ["approve"] * 2 + ["return", "reject", "withdraw"]
        ),
        as_admin=st.sampled_from([False, False, False, True]),
        comment=st.sampled_from(["", "请补充在孵企业名单", "场地证明不全"]),
        number=st.sampled_from(["", "川科高〔2026〕1号", "国科火字〔2026〕3号"]),
    )
    def act_in_turn(self, action: str, as_admin: bool, comment: str, number: str) -> None:
        """The actor whose turn it is (so that runs go deep into the chain)."""
        actor = "owner"
        if action not in OWNER_ACTIONS:
            step = self.model.step
            at = self.model.chain[step] if step is not None else None
            by_region = {code: name for name, code in REGION_OF.items()}
            actor = "admin" if as_admin or at is None else by_region[at]
        self._act(actor, action, comment, number, stale=False)

    def _act(self, actor: str, action: str, comment: str, number: str, stale: bool) -> None:
        application, model = self.application, self.model
        version = application.version - 1 if stale else application.version
        expected = model.expects(actor, action, comment.strip(), number, stale)
        done = self._attempt(
            lambda: apply_action(
                application,
                action,
                self.users[actor],
                comment=comment,
                document_no=number,
                version=version,
            )
        )
        db.session.refresh(application)
        event(f"{action} {'done' if done else 'refused'}" + (f" at {model.level}" if done else ""))
        assert done == expected, (actor, action, model, application.status)
        if done:
            model.apply(action)
            if action == "approve":
                self.levels_held.add(model.level)

    @precondition(lambda self: self.model is not None)
    @rule(complete=st.booleans())
    def change_figures(self, complete: bool) -> None:
        application, model = self.application, self.model
        figures = full_figures(self.carrier)
        if not complete:
            figures = {code: None for code in figures}
        editable = model.status in ("draft", "returned")
        done = self._attempt(
            lambda: update_figures(application, figures, actor=self.users["owner"])
        )
        db.session.refresh(application)
        changed = complete != model.complete
        assert done == editable
        if done:
            model.complete = complete
            model.version += 1 if changed else 0

    @invariant()
    def matches_the_model(self) -> None:
        if self.model is None:
            return
        application, model = self.application, self.model
        assert application.status.value == model.status
        assert application.version == model.version
        assert application.step_position == model.step
        if model.step is not None:
            assert application.current_step.region.code == model.chain[model.step]

    @invariant()
    def one_event_per_state_change(self) -> None:
        if self.model is None:
            return
        events = list(
            db.session.scalars(
                select(ApplicationEvent)
                .where(ApplicationEvent.application_id == self.application.id)
                .order_by(ApplicationEvent.id)
            )
        )
        assert len(events) == self.model.events
        previous = "draft"
        for change in events:
            assert SPEC[(change.from_status.value, change.action.value)] == change.to_status.value
            assert change.from_status.value == previous
            previous = change.to_status.value
        assert previous == self.application.status.value
        assert [e.version for e in events] == sorted({e.version for e in events})

    @invariant()
    def one_open_application_and_one_recognition_per_approval(self) -> None:
        open_count = db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.carrier_id == self.carrier.id, Application.status.in_(OPEN_STATUSES))
        )
        assert open_count <= 1
        db.session.refresh(self.carrier)
        levels = sorted(r.level.code for r in self.carrier.recognitions)
        assert levels == sorted(self.levels_held)


def test_no_sequence_of_actions_leaves_the_table(app):
    users = {
        "owner": factories.user(name="东坡运营"),
        "other_carrier": factories.user(),
        "admin": factories.user("admin"),
        **{name: factories.user("reviewer", code) for name, code in REGION_OF.items()},
    }
    db.session.flush()
    Workflow.user_ids = {name: user.id for name, user in users.items()}
    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=60,
            stateful_step_count=35,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
