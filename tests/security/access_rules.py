"""Who may reach every route of the app: the table the authorization matrix test checks.

Each (endpoint, method) of app.url_map has one or more Cases: a URL built from the test
world, an optional body, and the expected outcome for every role. A route without a rule
fails the test, so a feature that adds routes adds its rules here (and, if it needs
objects, a field to World and a line to build_world()).

Outcomes: OK (allowed: 2xx, 3xx elsewhere than the sign-in page, or 400/409/422 once the
input is checked), LOGIN (401, or a redirect to /login), FORBIDDEN (403), HIDDEN (404: the
object is private and the caller may not know it exists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry import db
from registry.accounts.models import User
from registry.carriers.credit_codes import request_review
from registry.carriers.models import Carrier
from registry.imports.models import CarrierImport
from registry.imports.parsing import Source
from registry.imports.service import new_import
from registry.targets import service as targets
from registry.targets.models import Plan, Target, TargetValue
from tests import factories
from tests.imports.files import csv_bytes
from tests.targets.factories import make_plan, make_target

OK, LOGIN, FORBIDDEN, HIDDEN = "ok", "login", "forbidden", "hidden"
ROLES = ("anonymous", "owner", "other_carrier", "reviewer_in", "reviewer_out", "admin")


@dataclass
class World:
    """The accounts and objects every case is tried on."""

    users: dict[str, User]
    private: Carrier  # the owner's unrecognised carrier in 东坡区 (眉山市), credit code pending
    public: Carrier  # the owner's recognised carrier in 东坡区
    upload: CarrierImport  # a list staged for import by the 眉山 reviewer
    plan: Plan  # a plan issued by 眉山市
    target: Target  # its manual target (a bureau enters its figures)
    figure: TargetValue  # a figure entered for that target
    province_plan: Plan  # a plan issued by 四川省: above the 眉山 reviewer
    extra: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    users = {
        "owner": factories.user(name="东坡科创运营"),
        "other_carrier": factories.user(),
        "reviewer_in": factories.user("reviewer", "511400"),  # 眉山市: covers 东坡区
        "reviewer_out": factories.user("reviewer", "510100"),  # 成都市
        "admin": factories.user("admin"),
    }
    owner = users["owner"]
    private = factories.create_carrier(
        "东坡待认定孵化器", owner=owner, region_code="511402", uscc="91350100M000100Y44"
    )
    request_review(private, requested_by=owner)
    public = factories.create_carrier("东坡已认定孵化器", owner=owner, region_code="511402")
    factories.recognize(public, "county")
    row = [
        1,
        "东坡新认定孵化器",
        "科技企业孵化器",
        "县级",
        "东坡区",
        "",
        "2024-05-01",
        "东科〔2024〕1号",
    ]
    upload = new_import(Source("东坡认定名单.csv", content=csv_bytes([row])), users["reviewer_in"])
    plan = make_plan("511400")
    target = make_target(plan, metric="manual", types=[], value="2.5", unit="%")
    figure = targets.record_value(target, {"recorded_on": "2019-12-31", "value": "1.8"})
    province_plan = make_plan("510000")
    db.session.commit()
    return World(
        users,
        private,
        public,
        upload,
        plan,
        target,
        figure,
        province_plan,
        _workflow_world(owner, private, public),
    )


def _workflow_world(owner: User, private: Carrier, public: Carrier) -> dict[str, Any]:
    """The owner's application for its private carrier, with a file, submitted (at 东坡区's
    step of the chain 东坡区 → 眉山市), and the public carrier's recognition."""
    from registry.applications.attachments import add_attachment
    from registry.applications.drafts import create_application
    from registry.applications.service import apply_action
    from tests.applications.factories import PDF, full_figures

    application = create_application(
        private, level="municipal", figures=full_figures(private), actor=owner
    )
    attachment = add_attachment(application, "营业执照.pdf", PDF, actor=owner)
    apply_action(application, "submit", owner)
    db.session.commit()
    return {
        "application": application,
        "attachment": attachment,
        "recognition": public.recognitions[0],
    }


@dataclass(frozen=True)
class Case:
    url: Callable[[World], str]
    expect: dict[str, str]
    body: Callable[[World], dict] | None = None


def everyone(outcome: str = OK) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def signed_in() -> dict[str, str]:
    return {**everyone(), "anonymous": LOGIN}


def only(*roles: str, others: str = FORBIDDEN) -> dict[str, str]:
    """Allowed to `roles`; the public must sign in; the other accounts get `others`."""
    return {r: OK if r in roles else LOGIN if r == "anonymous" else others for r in ROLES}


CARRIER_ACCOUNTS = ("owner", "other_carrier")
# a private carrier: its owner and the bureaus over it see it; others may not know of it
SEE_PRIVATE = {
    "anonymous": HIDDEN,
    "owner": OK,
    "other_carrier": HIDDEN,
    "reviewer_in": OK,
    "reviewer_out": HIDDEN,
    "admin": OK,
}
EDIT_PRIVATE = {**SEE_PRIVATE, "anonymous": LOGIN, "reviewer_in": FORBIDDEN}
DECIDE_CODE = {**SEE_PRIVATE, "anonymous": LOGIN, "owner": FORBIDDEN}
OVERSEE_MEISHAN = {**only("reviewer_in", "admin"), "reviewer_out": FORBIDDEN}
BUREAUS = ("reviewer_in", "reviewer_out", "admin")
# the 眉山 reviewer's staged import: other bureaus may not know of it; carriers may not import
SEE_UPLOAD = {**only("reviewer_in", "admin"), "reviewer_out": HIDDEN}


def url(template: str) -> Callable[[World], str]:
    """A URL with {private}, {public}, {user} (the other carrier account's id), {upload},
    {plan}, {target}, {figure}, {province_plan}, {application}, {attachment} and
    {recognition} filled."""
    return lambda w: template.format(
        private=w.private.id,
        public=w.public.id,
        user=w.users["other_carrier"].id,
        upload=w.upload.id,
        plan=w.plan.id,
        target=w.target.id,
        figure=w.figure.id,
        province_plan=w.province_plan.id,
        **{name: obj.id for name, obj in w.extra.items()},
    )


def body(data: dict) -> Callable[[World], dict]:
    return lambda _w: data


def with_report(template: str, status: str = "submitted") -> Callable[[World], str]:
    """A URL about the public carrier's 2024 report, which is made first (in `status`)."""

    def build(w: World) -> str:
        from tests.reports.factories import report

        report(w.public, 2024, status=status)
        db.session.commit()
        return template.format(public=w.public.id)

    return build


# a recognised carrier's reports: its owner and the bureaus over it (others may know it exists)
SEE_REPORTS = only("owner", "reviewer_in", "admin")
# a private carrier's reports: others may not know it exists
SEE_PRIVATE_REPORTS = {**SEE_PRIVATE, "anonymous": LOGIN}
# grading the public carrier (its county title was granted by 东坡区, inside 眉山市)
GRADE = only("reviewer_in", "admin")
# plans and targets: public to read; written by the bureaus over the issuing region
PLAN = {
    "title": "眉山市科技创新专项行动方案",
    "region": "511400",
    "issued_on": "2021-03-01",
    "period_start": "2021-01-01",
    "period_end": "2025-12-31",
}
PROVINCE_PLAN = {**PLAN, "title": "四川省科技创新专项行动方案", "region": "510000"}
TARGET = {
    "phrase": "全市研究与试验发展经费投入强度达到2.5%",
    "metric": "manual",
    "region": "511400",
    "min_level": "county",
    "period_start": "2021-01-01",
    "deadline": "2025-12-31",
    "value": "2.5",
    "unit": "%",
}
TEXT = {"text": "到2025年, 全市科技企业孵化器达到20家。"}


def saved_extraction(w: World) -> dict:
    """The confirm form of an extraction for the world's 眉山 plan (no candidate kept)."""
    return {**PLAN, "plan_id": str(w.plan.id)}


# the owner's submitted application: its owner and the bureaus over it see it
SEE_APPLICATION = {**SEE_PRIVATE, "anonymous": LOGIN}
# changing it (figures, files): its owner only
CHANGE_APPLICATION = {**SEE_APPLICATION, "reviewer_in": FORBIDDEN, "admin": FORBIDDEN}
# acting on it: the bureau of the chain out of turn gets 409 (counted as allowed: the input
# is checked), the owner may not recommend, an admin acts at any step
ACT_ON_APPLICATION = {**SEE_APPLICATION, "owner": FORBIDDEN}
APPLY_PRIVATE = {**EDIT_PRIVATE, "admin": FORBIDDEN}
REVOKE_IN_DONGPO = only("reviewer_in", "admin")
APPLICATION = "/applications/{application}"
API_APPLICATION = "/api/v1/applications/{application}"


def _new_application(w: World) -> dict:
    return {"carrier_id": w.private.id, "level": "provincial"}


PUBLIC_PAGE = [Case(url("/"), everyone())]

RULES: dict[tuple[str, str], list[Case]] = {
    # --- public pages and read API ---------------------------------------------------------
    ("public.home", "GET"): PUBLIC_PAGE,
    ("public.list_carriers", "GET"): [Case(url("/carriers?q=东坡"), everyone())],
    ("public.export_carriers", "GET"): [Case(url("/carriers/export?format=csv"), everyone())],
    ("public.show_carrier", "GET"): [
        Case(url("/carriers/{private}"), SEE_PRIVATE),
        Case(url("/carriers/{public}"), everyone()),
    ],
    ("public.show_region", "GET"): [Case(url("/regions/511400"), everyone())],
    ("public.favicon", "GET"): [Case(url("/favicon.ico"), everyone())],
    ("public.set_language", "GET"): [Case(url("/lang/en?next=/"), everyone())],
    ("api.openapi_document", "GET"): [Case(url("/api/v1/openapi.json"), everyone())],
    ("health.check_health", "GET"): [Case(url("/healthz"), everyone())],
    ("regions_api.list_regions", "GET"): [Case(url("/api/v1/regions?parent=511400"), everyone())],
    ("regions_api.get_region_detail", "GET"): [Case(url("/api/v1/regions/511402"), everyone())],
    ("carriers_api.list_types", "GET"): [Case(url("/api/v1/carrier-types"), everyone())],
    ("carriers_api.list_carriers", "GET"): [Case(url("/api/v1/carriers"), everyone())],
    ("carriers_api.export_carriers", "GET"): [
        Case(url("/api/v1/carriers/export?format=csv"), everyone())
    ],
    ("carriers_api.get_carrier_detail", "GET"): [
        Case(url("/api/v1/carriers/{private}"), SEE_PRIVATE),
        Case(url("/api/v1/carriers/{public}"), everyone()),
    ],
    # --- signing in, registering, one's own account ---------------------------------------
    ("accounts.login", "GET"): [Case(url("/login"), everyone())],
    ("accounts.login", "POST"): [Case(url("/login"), everyone(), body({}))],
    ("accounts.logout", "POST"): [Case(url("/logout"), everyone())],
    ("accounts.signup", "GET"): [Case(url("/signup"), everyone())],
    ("accounts.signup", "POST"): [Case(url("/signup"), everyone(), body({}))],
    ("accounts.signup_sent", "GET"): [Case(url("/signup/sent"), everyone())],
    ("accounts.confirm_email", "GET"): [Case(url("/account/confirm/forged"), everyone())],
    ("accounts.resend_confirmation", "POST"): [Case(url("/account/confirmation"), signed_in())],
    ("accounts.show_account", "GET"): [Case(url("/account"), signed_in())],
    ("accounts.show_account", "POST"): [Case(url("/account"), signed_in(), body({"name": "x"}))],
    ("accounts.change_password", "GET"): [Case(url("/account/password"), signed_in())],
    ("accounts.change_password", "POST"): [Case(url("/account/password"), signed_in(), body({}))],
    ("accounts.forgot_password", "GET"): [Case(url("/password/forgot"), everyone())],
    ("accounts.forgot_password", "POST"): [
        Case(url("/password/forgot"), everyone(), body({"email": "x@example.org"}))
    ],
    ("accounts.reset_password", "GET"): [Case(url("/password/reset/forged"), everyone())],
    ("accounts.reset_password", "POST"): [
        Case(url("/password/reset/forged"), everyone(), body({}))
    ],
    ("accounts_api.create_account", "POST"): [Case(url("/api/v1/accounts"), everyone(), body({}))],
    ("accounts_api.create_token", "POST"): [Case(url("/api/v1/tokens"), everyone(), body({}))],
    ("accounts_api.delete_token", "DELETE"): [Case(url("/api/v1/tokens/current"), signed_in())],
    ("accounts_api.get_account", "GET"): [Case(url("/api/v1/account"), signed_in())],
    ("accounts_api.patch_account", "PATCH"): [
        Case(url("/api/v1/account"), signed_in(), body({"name": "新名称"}))
    ],
    ("accounts_api.put_password", "PUT"): [
        Case(url("/api/v1/account/password"), signed_in(), body({}))
    ],
    ("accounts_api.list_own_carriers", "GET"): [
        Case(url("/api/v1/account/carriers"), only(*CARRIER_ACCOUNTS))
    ],
    # --- administrators ---------------------------------------------------------------------
    ("admin.list_accounts", "GET"): [Case(url("/admin/users"), only("admin"))],
    ("admin.new_account", "GET"): [Case(url("/admin/users/new"), only("admin"))],
    ("admin.new_account", "POST"): [Case(url("/admin/users/new"), only("admin"), body({}))],
    ("admin.show_account", "GET"): [Case(url("/admin/users/{user}"), only("admin"))],
    ("admin.deactivate_account", "POST"): [
        Case(url("/admin/users/{user}/deactivate"), only("admin"))
    ],
    ("admin.reactivate_account", "POST"): [
        Case(url("/admin/users/{user}/reactivate"), only("admin"))
    ],
    ("admin.reset_account_password", "POST"): [
        Case(
            url("/admin/users/{user}/password"), only("admin"), body({"password": "Temp-pass-2468"})
        )
    ],
    # --- carriers kept by their owners --------------------------------------------------------
    ("carriers.new_carrier", "GET"): [Case(url("/my/carriers/new"), only(*CARRIER_ACCOUNTS))],
    ("carriers.new_carrier", "POST"): [
        Case(url("/my/carriers/new"), only(*CARRIER_ACCOUNTS), body({"name": "新载体"}))
    ],
    ("carriers.edit_carrier", "GET"): [
        Case(url("/carriers/{private}/edit"), EDIT_PRIVATE),
        Case(url("/carriers/{public}/edit"), {**only("owner", "admin")}),
    ],
    ("carriers.edit_carrier", "POST"): [
        Case(url("/carriers/{private}/edit"), EDIT_PRIVATE, body({"name": "改名"}))
    ],
    ("carriers.review_credit_code", "POST"): [
        Case(
            url("/carriers/{private}/credit-code"),
            DECIDE_CODE,
            body({"decision": "accepted", "reason": "与营业执照一致"}),
        )
    ],
    ("carrier_profiles_api.create_carrier_profile", "POST"): [
        Case(url("/api/v1/carriers"), only(*CARRIER_ACCOUNTS), body({"name": "新载体"}))
    ],
    ("carrier_profiles_api.update_carrier_profile", "PATCH"): [
        Case(url("/api/v1/carriers/{private}"), EDIT_PRIVATE, body({"name": "改名"})),
        Case(url("/api/v1/carriers/{public}"), only("owner", "admin"), body({"name": "改名"})),
    ],
    ("carrier_profiles_api.review_credit_code", "POST"): [
        Case(
            url("/api/v1/carriers/{private}/credit-code-review"),
            DECIDE_CODE,
            body({"decision": "accepted", "reason": "与营业执照一致"}),
        )
    ],
    # --- imports and open data -----------------------------------------------------------------
    ("imports.list_imports", "GET"): [Case(url("/imports/"), only(*BUREAUS))],
    ("imports.new_import", "GET"): [Case(url("/imports/new"), only(*BUREAUS))],
    ("imports.new_import", "POST"): [Case(url("/imports/new"), only(*BUREAUS), body({}))],
    ("imports.download_template", "GET"): [Case(url("/imports/template.xlsx"), only(*BUREAUS))],
    ("imports.show_import", "GET"): [Case(url("/imports/{upload}"), SEE_UPLOAD)],
    ("imports.check_import", "POST"): [Case(url("/imports/{upload}/check"), SEE_UPLOAD)],
    ("imports.run_import", "POST"): [Case(url("/imports/{upload}/run"), SEE_UPLOAD)],
    ("opendata.index", "GET"): [Case(url("/open-data/"), everyone())],
    # no version is published in the test world: the public route answers 404 to everyone
    ("opendata.download", "GET"): [Case(url("/open-data/v9/carriers.csv"), everyone(HIDDEN))],
    ("opendata.publish", "POST"): [Case(url("/open-data/publish"), only("admin"))],
    ("opendata_api.list_versions", "GET"): [Case(url("/api/v1/open-data"), everyone())],
    ("opendata_api.data_dictionary", "GET"): [
        Case(url("/api/v1/open-data/dictionary"), everyone())
    ],
    # --- the recognition workflow ---------------------------------------------------------------
    ("applications.new_application", "GET"): [
        Case(url("/carriers/{private}/apply"), APPLY_PRIVATE),
        Case(url("/carriers/{public}/apply"), only("owner")),
    ],
    ("applications.new_application", "POST"): [
        Case(url("/carriers/{public}/apply"), only("owner"), body({"level": "municipal"}))
    ],
    ("applications.show_application", "GET"): [Case(url(APPLICATION), SEE_APPLICATION)],
    ("applications.edit_application", "GET"): [
        Case(url(APPLICATION + "/edit"), CHANGE_APPLICATION)
    ],
    ("applications.edit_application", "POST"): [
        Case(url(APPLICATION + "/edit"), CHANGE_APPLICATION, body({"figure_mentors": "9"}))
    ],
    ("applications.act_on_application", "POST"): [
        Case(url(APPLICATION + "/actions/recommend"), ACT_ON_APPLICATION)
    ],
    ("applications.upload_attachment", "POST"): [
        Case(url(APPLICATION + "/attachments"), CHANGE_APPLICATION)
    ],
    ("applications.download_attachment", "GET"): [
        Case(url(APPLICATION + "/attachments/{attachment}"), SEE_APPLICATION)
    ],
    ("applications.remove_attachment", "POST"): [
        Case(url(APPLICATION + "/attachments/{attachment}/remove"), CHANGE_APPLICATION)
    ],
    ("applications.own_list", "GET"): [Case(url("/my/applications"), only(*CARRIER_ACCOUNTS))],
    ("applications.queue", "GET"): [
        Case(url("/review"), only(*BUREAUS)),
        Case(url("/review?scope=region&region=511400"), OVERSEE_MEISHAN),
    ],
    ("applications.revoke_recognition", "GET"): [
        Case(url("/recognitions/{recognition}/revoke"), REVOKE_IN_DONGPO)
    ],
    ("applications.revoke_recognition", "POST"): [
        Case(url("/recognitions/{recognition}/revoke"), REVOKE_IN_DONGPO, body({"reason": ""}))
    ],
    ("regions.direct_counties_page", "GET"): [Case(url("/admin/direct-counties/"), only("admin"))],
    ("regions.direct_counties_page", "POST"): [
        Case(url("/admin/direct-counties/"), only("admin"), body({"region": "511421"}))
    ],
    ("regions.remove_direct_county", "POST"): [
        Case(url("/admin/direct-counties/511421/remove"), only("admin"))
    ],
    ("applications_api.create_application_draft", "POST"): [
        Case(url("/api/v1/applications"), APPLY_PRIVATE, _new_application)
    ],
    ("applications_api.list_applications", "GET"): [
        Case(url("/api/v1/applications"), signed_in()),
        Case(url("/api/v1/applications?queue=review"), only(*BUREAUS)),
    ],
    ("applications_api.get_application_detail", "GET"): [
        Case(url(API_APPLICATION), SEE_APPLICATION)
    ],
    ("applications_api.update_application", "PATCH"): [
        Case(url(API_APPLICATION), CHANGE_APPLICATION, body({"figures": {"mentors": 9}}))
    ],
    ("applications_api.act_on_application", "POST"): [
        Case(url(API_APPLICATION + "/actions"), ACT_ON_APPLICATION, body({"action": "recommend"}))
    ],
    ("applications_api.upload_attachment", "POST"): [
        Case(url(API_APPLICATION + "/attachments"), CHANGE_APPLICATION)
    ],
    ("applications_api.download_attachment", "GET"): [
        Case(url(API_APPLICATION + "/attachments/{attachment}"), SEE_APPLICATION)
    ],
    ("applications_api.remove_attachment", "DELETE"): [
        Case(url(API_APPLICATION + "/attachments/{attachment}"), CHANGE_APPLICATION)
    ],
    ("applications_api.revoke", "POST"): [
        Case(url("/api/v1/recognitions/{recognition}/revoke"), REVOKE_IN_DONGPO, body({}))
    ],
    # --- workspaces -----------------------------------------------------------------------------
    ("dashboard.my_carriers", "GET"): [Case(url("/my/carriers"), only(*CARRIER_ACCOUNTS))],
    ("dashboard.my_region", "GET"): [
        Case(url("/my/region"), only("reviewer_in", "reviewer_out", "admin")),
        Case(url("/my/region?region=511400"), OVERSEE_MEISHAN),
    ],
    ("dashboard.region_carriers", "GET"): [
        Case(url("/my/region/carriers?region=511400&which=unrecognized"), OVERSEE_MEISHAN)
    ],
    # --- annual reports and evaluations ---------------------------------------------------------
    ("reports.carrier_reports", "GET"): [
        Case(url("/carriers/{public}/reports"), SEE_REPORTS),
        Case(url("/carriers/{private}/reports"), SEE_PRIVATE_REPORTS),
    ],
    ("reports.show_report", "GET"): [
        Case(url("/carriers/{public}/reports/2024"), SEE_REPORTS),
        Case(with_report("/carriers/{public}/reports/2024"), SEE_REPORTS),
    ],
    ("reports.show_report", "POST"): [
        Case(
            url("/carriers/{public}/reports/2024"),
            only("owner", "admin"),
            body({"incubation_area": "1200", "save": "1"}),
        )
    ],
    ("reports.decide_report", "POST"): [
        Case(
            with_report("/carriers/{public}/reports/2024/decision"),
            only("reviewer_in", "admin"),
            body({"action": "accept"}),
        )
    ],
    ("reports.review_reports", "GET"): [
        Case(url("/reports"), only(*BUREAUS)),
        Case(url("/reports?region=511400&which=missing"), OVERSEE_MEISHAN),
    ],
    ("evaluations.grade_carrier", "GET"): [Case(url("/carriers/{public}/evaluations/2024"), GRADE)],
    ("evaluations.grade_carrier", "POST"): [
        Case(url("/carriers/{public}/evaluations/2024"), GRADE, body({"grade": "good"}))
    ],
    ("evaluations.bulk_grade", "GET"): [
        Case(url("/evaluations"), only(*BUREAUS)),
        Case(url("/evaluations?region=511400&year=2024"), OVERSEE_MEISHAN),
    ],
    ("evaluations.bulk_grade", "POST"): [
        Case(url("/evaluations?region=511400&year=2024"), OVERSEE_MEISHAN, body({"step": "review"}))
    ],
    ("reports_api.list_reports", "GET"): [
        Case(url("/api/v1/carriers/{public}/reports"), SEE_REPORTS),
        Case(url("/api/v1/carriers/{private}/reports"), SEE_PRIVATE_REPORTS),
    ],
    ("reports_api.get_report_detail", "GET"): [
        Case(with_report("/api/v1/carriers/{public}/reports/2024"), SEE_REPORTS)
    ],
    ("reports_api.put_report", "PUT"): [
        Case(
            url("/api/v1/carriers/{public}/reports/2024"),
            only("owner", "admin"),
            body({"figures": {"incubation_area": 1200}}),
        )
    ],
    ("reports_api.report_action", "POST"): [
        Case(
            with_report("/api/v1/carriers/{public}/reports/2024/actions"),
            only("reviewer_in", "admin"),
            body({"action": "accept"}),
        ),
        Case(
            with_report("/api/v1/carriers/{public}/reports/2024/actions", "draft"),
            only("owner", "admin"),
            body({"action": "submit"}),
        ),
    ],
    ("reports_api.list_year_reports", "GET"): [
        Case(url("/api/v1/reports"), only(*BUREAUS)),
        Case(url("/api/v1/reports?region=511400&year=2024"), OVERSEE_MEISHAN),
    ],
    ("evaluations_api.get_evaluation_detail", "GET"): [
        Case(url("/api/v1/carriers/{public}/evaluations/2024"), SEE_REPORTS)
    ],
    ("evaluations_api.put_evaluation", "PUT"): [
        Case(url("/api/v1/carriers/{public}/evaluations/2024"), GRADE, body({"grade": "good"}))
    ],
    # --- plans and targets: pages ---------------------------------------------------------------
    ("targets.dashboard", "GET"): [Case(url("/targets?as_of=2020-06-30"), everyone())],
    ("targets.show_plan", "GET"): [Case(url("/plans/{plan}"), everyone())],
    ("targets.show_target", "GET"): [
        Case(url("/targets/{target}"), everyone()),
        Case(url("/targets/{target}?region=511402&as_of=2019-12-31"), everyone()),
    ],
    ("targets.new_plan", "GET"): [Case(url("/plans/new"), only(*BUREAUS))],
    ("targets.new_plan", "POST"): [
        Case(url("/plans/new"), OVERSEE_MEISHAN, body(PLAN)),
        Case(url("/plans/new"), only("admin"), body(PROVINCE_PLAN)),
    ],
    ("targets.edit_plan", "GET"): [
        Case(url("/plans/{plan}/edit"), OVERSEE_MEISHAN),
        Case(url("/plans/{province_plan}/edit"), only("admin")),
    ],
    ("targets.edit_plan", "POST"): [
        Case(url("/plans/{plan}/edit"), OVERSEE_MEISHAN, body(PLAN)),
        # a 眉山 reviewer may not hand its plan to the province
        Case(url("/plans/{plan}/edit"), only("admin"), body(PROVINCE_PLAN)),
    ],
    ("targets.delete_plan", "POST"): [
        Case(url("/plans/{plan}/delete"), OVERSEE_MEISHAN),
        Case(url("/plans/{province_plan}/delete"), only("admin")),
    ],
    ("targets.new_target", "GET"): [Case(url("/plans/{plan}/targets/new"), OVERSEE_MEISHAN)],
    ("targets.new_target", "POST"): [
        Case(url("/plans/{plan}/targets/new"), OVERSEE_MEISHAN, body(TARGET)),
        Case(url("/plans/{province_plan}/targets/new"), only("admin"), body(TARGET)),
    ],
    ("targets.edit_target", "GET"): [Case(url("/targets/{target}/edit"), OVERSEE_MEISHAN)],
    ("targets.edit_target", "POST"): [
        Case(url("/targets/{target}/edit"), OVERSEE_MEISHAN, body(TARGET))
    ],
    ("targets.delete_target", "POST"): [Case(url("/targets/{target}/delete"), OVERSEE_MEISHAN)],
    ("targets.add_value", "POST"): [
        Case(
            url("/targets/{target}/values"),
            OVERSEE_MEISHAN,
            body({"recorded_on": "2020-12-31", "value": "2.1", "note": "统计公报"}),
        )
    ],
    ("targets.delete_value", "POST"): [
        Case(url("/targets/{target}/values/{figure}/delete"), OVERSEE_MEISHAN)
    ],
    ("targets.extract", "GET"): [
        Case(url("/plans/extract"), only(*BUREAUS)),
        Case(url("/plans/extract?plan={plan}"), OVERSEE_MEISHAN),
    ],
    ("targets.extract", "POST"): [Case(url("/plans/extract"), only(*BUREAUS), body(TEXT))],
    ("targets.save_extracted", "POST"): [
        Case(url("/plans/extract/save"), OVERSEE_MEISHAN, saved_extraction),
        Case(url("/plans/extract/save"), OVERSEE_MEISHAN, body(PLAN)),
        Case(url("/plans/extract/save"), only("admin"), body(PROVINCE_PLAN)),
    ],
    # --- plans and targets: API -----------------------------------------------------------------
    ("targets_api.list_plans", "GET"): [Case(url("/api/v1/plans?region=511400"), everyone())],
    ("targets_api.get_plan", "GET"): [Case(url("/api/v1/plans/{plan}"), everyone())],
    ("targets_api.list_targets", "GET"): [
        Case(url("/api/v1/targets?plan={plan}&as_of=2020-06-30"), everyone())
    ],
    ("targets_api.get_target", "GET"): [Case(url("/api/v1/targets/{target}"), everyone())],
    ("targets_api.get_progress", "GET"): [
        Case(url("/api/v1/targets/{target}/progress?region=511402"), everyone())
    ],
    ("targets_api.create_plan", "POST"): [
        Case(url("/api/v1/plans"), OVERSEE_MEISHAN, body(PLAN)),
        Case(url("/api/v1/plans"), only("admin"), body(PROVINCE_PLAN)),
    ],
    ("targets_api.update_plan", "PATCH"): [
        Case(url("/api/v1/plans/{plan}"), OVERSEE_MEISHAN, body({"source": "眉山市人民政府网站"})),
        Case(url("/api/v1/plans/{plan}"), only("admin"), body({"region": "510000"})),
        Case(url("/api/v1/plans/{province_plan}"), only("admin"), body({"source": "四川省"})),
    ],
    ("targets_api.delete_plan", "DELETE"): [
        Case(url("/api/v1/plans/{plan}"), OVERSEE_MEISHAN),
        Case(url("/api/v1/plans/{province_plan}"), only("admin")),
    ],
    ("targets_api.create_target", "POST"): [
        Case(url("/api/v1/plans/{plan}/targets"), OVERSEE_MEISHAN, body(TARGET)),
        Case(url("/api/v1/plans/{province_plan}/targets"), only("admin"), body(TARGET)),
    ],
    ("targets_api.update_target", "PATCH"): [
        Case(url("/api/v1/targets/{target}"), OVERSEE_MEISHAN, body({"value": 3}))
    ],
    ("targets_api.delete_target", "DELETE"): [
        Case(url("/api/v1/targets/{target}"), OVERSEE_MEISHAN)
    ],
    ("targets_api.record_value", "POST"): [
        Case(
            url("/api/v1/targets/{target}/values"),
            OVERSEE_MEISHAN,
            body({"recorded_on": "2020-12-31", "value": 2.1}),
        )
    ],
    ("targets_api.extract", "POST"): [
        Case(url("/api/v1/plans/extract"), only(*BUREAUS), body(TEXT))
    ],
}
