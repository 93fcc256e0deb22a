"""A deterministic, realistic demo data set: carriers of every type and level with their
recognition histories (upgrades, revocations), annual reports, grades and demo accounts.

Same seed, same data. Dates run up to a fixed horizon (DEMO_TODAY) so the data do not depend
on the day the generator runs. Rows are written with bulk inserts, so 100,000 carriers take
seconds, not hours; later features extend `generate_demo` with their own steps.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from registry import audit, db
from registry.accounts.models import Role, User
from registry.accounts.passwords import hash_password
from registry.carriers import uscc
from registry.carriers.levels import Level
from registry.carriers.models import Carrier, CarrierType, Indicator, Recognition
from registry.evaluations.models import Evaluation, Grade
from registry.regions.models import PLACEHOLDER_NAMES, Region, RegionLevel
from registry.reports.models import AnnualReport, ReportFigure, ReportStatus

DEMO_TODAY = dt.date(2026, 6, 30)
DEMO_PASSWORD = "Demo-pass-2016"
FIRST_YEAR = 2010
REPORT_YEARS = range(2021, 2026)  # five years of annual reports

# Share of carriers per province (Sichuan first: the plans we serve are Sichuan's).
PROVINCE_WEIGHTS = {
    "510000": 70,
    "500000": 8,
    "520000": 5,
    "530000": 4,
    "610000": 5,
    "320000": 4,
    "440000": 4,
}
PREFECTURE_WEIGHTS = {"510100": 9, "510700": 3, "510600": 2.5, "511400": 1.5, "511500": 1.5}
TYPE_WEIGHTS = {
    "maker_space": 35,
    "incubator": 25,
    "eng_center": 20,
    "tech_transfer": 10,
    "star_space": 10,
}
START_LEVEL_WEIGHTS = {
    Level.county: 26,
    Level.municipal: 45,
    Level.provincial: 25,
    Level.national: 4,
}
UPGRADE_CHANCE = 0.25
PROVINCE_ABBR = {
    "510000": "川",
    "500000": "渝",
    "520000": "黔",
    "530000": "云",
    "610000": "陕",
    "320000": "苏",
    "440000": "粤",
}

THEMES = [
    "天府",
    "菁蓉",
    "锦江",
    "蜀都",
    "科创",
    "智造",
    "云谷",
    "星火",
    "启迪",
    "芯谷",
    "数字",
    "青年",
    "创新",
    "未来",
    "高新",
    "绿色",
    "智汇",
    "梦工场",
    "创客",
    "之心",
    "新经济",
    "硅谷",
    "海归",
    "双创",
    "金沙",
    "银杏",
    "熊猫",
    "三星堆",
    "峨眉",
    "竹海",
    "蜀道",
    "巴山",
    "川西",
    "大学生",
]
FIELDS = [
    "先进材料",
    "智能制造",
    "生物医药",
    "电子信息",
    "现代农业",
    "食品加工",
    "节能环保",
    "页岩气",
    "钒钛资源",
    "中药材",
    "茶叶",
    "竹产业",
    "轨道交通",
    "航空装备",
    "清洁能源",
    "动力电池",
    "白酒酿造",
    "特色果蔬",
    "精细化工",
    "工业软件",
    "医疗器械",
    "文化创意",
]
SUFFIXES = {
    "incubator": ["科技企业孵化器", "科技企业孵化器", "创业服务中心", "孵化园"],
    "maker_space": ["众创空间", "众创空间", "创客空间", "创新工场"],
    "star_space": ["星创天地"],
    "tech_transfer": ["技术转移中心", "技术转移服务中心", "科技成果转化中心"],
    "eng_center": ["工程技术研究中心"],
}
ORG_SUFFIXES = [
    "科技有限公司",
    "投资管理有限公司",
    "孵化器管理有限公司",
    "科技服务有限公司",
    "发展有限公司",
    "股份有限公司",
]
ROADS = [
    "人民路",
    "天府大道",
    "科华路",
    "创业路",
    "高新大道",
    "滨江路",
    "学府路",
    "工业园路",
    "迎宾大道",
    "建设路",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


@dataclass
class DemoResult:
    carriers: int = 0
    recognitions: int = 0
    revoked: int = 0
    reports: int = 0
    figures: int = 0
    evaluations: int = 0
    users: int = 0
    skipped: str = ""
    extras: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.skipped:
            return self.skipped
        lines = [
            f"demo: {self.carriers} carriers, {self.recognitions} recognitions "
            f"({self.revoked} revoked), {self.reports} reports with {self.figures} figures, "
            f"{self.evaluations} evaluations, {self.users} accounts "
            f"(password {DEMO_PASSWORD!r})",
            *self.extras,
        ]
        return "\n".join(lines)


# Later features register extra steps: fn(rng, result) -> None, run after the core data.
DEMO_STEPS: list[Callable[[random.Random, DemoResult], None]] = []


class _Ids:
    """Explicit primary keys for bulk inserts (sequences are advanced afterwards)."""

    def __init__(self, model: type) -> None:
        self.model = model
        self.next = (db.session.scalar(select(func.max(model.id))) or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def generate_demo(
    n_carriers: int = 1200, seed: int = 2016, progress: Callable[[str], None] | None = None
) -> DemoResult:
    """Write the demo data set; does nothing when carriers already exist."""
    say = progress or (lambda _msg: None)
    existing = db.session.scalar(select(func.count()).select_from(Carrier)) or 0
    if existing:
        return DemoResult(skipped=f"demo: skipped, the database already holds {existing} carriers")
    rng = random.Random(seed)
    gen = _Generator(rng, say)
    result = gen.run(n_carriers)
    for step in DEMO_STEPS:
        step(rng, result)
    audit.record("demo.generate", "registry", None, carriers=result.carriers, seed=seed)
    db.session.execute(text("ANALYZE"))  # fresh planner statistics after a bulk load
    return result


class _Generator:
    def __init__(self, rng: random.Random, say: Callable[[str], None]) -> None:
        self.rng = rng
        self.say = say
        self.types = {t.code: t for t in db.session.scalars(select(CarrierType))}
        if not self.types:
            raise RuntimeError("run `registry seed` before generating demo data")
        self.indicators = {
            code: [i for i in t.indicators if i.in_report] for code, t in self.types.items()
        }
        self.checks = _figure_checks()
        regions = list(db.session.scalars(select(Region)))
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.id: r for r in regions}
        self.children: dict[int, list[Region]] = {}
        for r in regions:
            if r.parent_id is not None:
                self.children.setdefault(r.parent_id, []).append(r)
        self.names: set[str] = set()

    # -- places ------------------------------------------------------------------------

    def _leaf_regions(self, prefecture: Region) -> list[Region]:
        counties = [c for c in self.children.get(prefecture.id, []) if c.name != "市辖区"]
        return counties or [prefecture]

    def pick_place(self) -> Region:
        province = self.by_code[self._weighted(PROVINCE_WEIGHTS)]
        prefectures = self.children[province.id]
        weights = [PREFECTURE_WEIGHTS.get(p.code, 1.0) for p in prefectures]
        prefecture = self.rng.choices(prefectures, weights)[0]
        return self.rng.choice(self._leaf_regions(prefecture))

    def _weighted(self, weights: dict) -> object:
        keys = list(weights)
        return self.rng.choices(keys, [weights[k] for k in keys])[0]

    def ancestor_at(self, region: Region, level: RegionLevel) -> Region:
        node = region
        while node.level != level:
            node = self.by_id[node.parent_id]
        return node

    @staticmethod
    def short(name: str) -> str:
        for suffix in (
            "藏族羌族自治州",
            "藏族自治州",
            "彝族自治州",
            "自治县",
            "自治州",
            "新区",
            "市",
            "区",
            "县",
            "省",
        ):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)]
        return name

    # -- names and identities ------------------------------------------------------------

    def carrier_name(self, type_code: str, county: Region, prefecture: Region) -> str:
        rng = self.rng
        places = [county.name, prefecture.name, prefecture.name]
        if prefecture.name in PLACEHOLDER_NAMES:  # 北京市 › 市辖区: use the municipality
            places[1:] = [self.by_id[prefecture.parent_id].name] * 2
        place = self.short(rng.choice([p for p in places if p not in PLACEHOLDER_NAMES]))
        for attempt in range(20):
            if type_code == "eng_center":
                province = self.short(self.ancestor_at(county, RegionLevel.province).name)
                name = f"{province}省{rng.choice(FIELDS)}{rng.choice(SUFFIXES[type_code])}"
                if attempt:
                    name = f"{province}省{place}{rng.choice(FIELDS)}{SUFFIXES[type_code][0]}"
            else:
                theme = rng.choice(THEMES)
                field_part = rng.choice(FIELDS) if rng.random() < 0.3 else ""
                name = f"{place}{theme}{field_part}{rng.choice(SUFFIXES[type_code])}"
            if attempt > 2:
                name = (
                    f"{name[: -len(SUFFIXES[type_code][0])]}{'一二三四五六七八九'[attempt % 9]}"
                    f"号{SUFFIXES[type_code][0]}"
                )
            if name not in self.names:
                self.names.add(name)
                return name
        name = f"{name}（{len(self.names)}）"
        self.names.add(name)
        return name

    def operator(self, county: Region) -> tuple[str, str]:
        rng = self.rng
        org = f"{self.short(county.name)}{rng.choice(THEMES)}{rng.choice(ORG_SUFFIXES)}"
        org8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        return org, uscc.make("91", county.code, org8)

    def person(self) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        return name, phone

    def document_no(self, level: Level, granting: Region, type_code: str, year: int) -> str:
        rng = self.rng
        n = rng.randint(1, 320)
        if level == Level.national:
            prefix = "国科火字" if type_code in ("incubator", "maker_space") else "国科发火"
            return f"{prefix}〔{year}〕{n}号"
        if level == Level.provincial:
            abbr = PROVINCE_ABBR.get(granting.code, granting.name[:1])
            return f"{abbr}科高〔{year}〕{n}号"
        return f"{self.short(granting.name)}科发〔{year}〕{n}号"

    # -- the run -------------------------------------------------------------------------

    def run(self, n: int) -> DemoResult:
        result = DemoResult()
        carrier_ids, recognition_ids = _Ids(Carrier), _Ids(Recognition)
        carriers, recognitions = [], []
        histories: list[tuple[int, str, list[dict], int]] = []
        now = dt.datetime(2026, 6, 30, 8, 0, tzinfo=dt.UTC)
        for i in range(n):
            row, recs = self.one_carrier(carrier_ids.take(), recognition_ids, now)
            carriers.append(row)
            recognitions.extend(recs)
            histories.append((row["id"], row["_type"], recs, row["region_id"]))
            if len(carriers) >= 5000:
                self._flush(carriers, recognitions)
                self.say(f"demo: {i + 1} of {n} carriers")
        self._flush(carriers, recognitions)
        result.carriers = n
        result.recognitions = sum(len(h[2]) for h in histories)
        result.revoked = sum(1 for h in histories for r in h[2] if r["revoked_on"])
        self.reports_and_grades(histories, result, now)
        self.accounts(histories, result)
        _advance_sequences()
        return result

    def _flush(self, carriers: list[dict], recognitions: list[dict]) -> None:
        if carriers:
            rows = [{k: v for k, v in c.items() if not k.startswith("_")} for c in carriers]
            db.session.execute(insert(Carrier), rows)
        if recognitions:
            rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in recognitions]
            db.session.execute(insert(Recognition), rows)
        carriers.clear()
        recognitions.clear()

    def one_carrier(self, carrier_id: int, rec_ids: _Ids, now: dt.datetime) -> tuple[dict, list]:
        rng = self.rng
        type_code = self._weighted(TYPE_WEIGHTS)
        county = self.pick_place()
        prefecture = (
            self.ancestor_at(county, RegionLevel.prefecture)
            if county.level == RegionLevel.county
            else county
        )
        operator, credit_code = self.operator(county)
        contact, phone = self.person()
        first_year = rng.randint(FIRST_YEAR, DEMO_TODAY.year)
        founded = dt.date(first_year - rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 28))
        carrier = {
            "id": carrier_id,
            "_type": type_code,
            "name": self.carrier_name(type_code, county, prefecture),
            "type_id": self.types[type_code].id,
            "region_id": county.id,
            "operator_name": operator,
            "uscc": credit_code,
            "address": f"{county.full_name}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            "contact_name": contact,
            "contact_phone": phone,
            "founded_on": founded,
            "website": "",
            "description": "",
            "owner_id": None,
            "needs_region_review": False,
            "created_at": now,
            "updated_at": now,
        }
        recs = (
            []
            if rng.random() < 0.05
            else self.history(carrier_id, type_code, county, first_year, rec_ids, now)
        )
        return carrier, recs

    def _in_municipality(self, county: Region) -> bool:
        """北京、天津、上海、重庆: the city is a province, its districts counties."""
        parent = self.by_id.get(county.parent_id)
        return parent is not None and parent.name in PLACEHOLDER_NAMES

    def _granting(self, county: Region, level: Level) -> Region:
        return self.ancestor_at(county, level.region_level)

    def history(
        self,
        carrier_id: int,
        type_code: str,
        county: Region,
        first_year: int,
        rec_ids: _Ids,
        now: dt.datetime,
    ) -> list[dict]:
        rng = self.rng
        level = self._weighted(START_LEVEL_WEIGHTS)
        if county.level != RegionLevel.county and level == Level.county:
            level = Level.municipal
        if level == Level.municipal and self._in_municipality(county):
            level = Level.provincial if rng.random() < 0.4 else Level.county
        day = _random_day(rng, first_year)
        recs = [self._recognition(rec_ids.take(), carrier_id, level, county, type_code, day, now)]
        while level < Level.national and rng.random() < UPGRADE_CHANCE / (1 + (level == 3)):
            next_day = day + dt.timedelta(days=rng.randint(365, 4 * 365))
            if next_day > DEMO_TODAY:
                break
            level, day = Level(level + 1), next_day
            if level == Level.municipal and self._in_municipality(county):
                level = Level.provincial
            recs.append(
                self._recognition(rec_ids.take(), carrier_id, level, county, type_code, day, now)
            )
        if rng.random() < 0.08:
            top = recs[-1]
            revoke_day = top["recognized_on"] + dt.timedelta(days=rng.randint(400, 2000))
            if revoke_day <= DEMO_TODAY:
                top["revoked_on"] = revoke_day
                top["revocation_reason"] = rng.choice(
                    [
                        "连续两年考核不合格",
                        "连续两年未按要求报送统计数据",
                        "主动申请撤销",
                        "运营主体注销",
                    ]
                )
                top["revocation_document_no"] = (
                    self.document_no(
                        top["_level"], self.by_id[top["granted_by_id"]], type_code, revoke_day.year
                    ).replace("〕", "〕撤")
                    if rng.random() < 0.5
                    else ""
                )
        return recs

    def _recognition(
        self,
        rec_id: int,
        carrier_id: int,
        level: Level,
        county: Region,
        type_code: str,
        day: dt.date,
        now: dt.datetime,
    ) -> dict:
        granting = self._granting(county, level)
        return {
            "id": rec_id,
            "_level": level,
            "carrier_id": carrier_id,
            "level": int(level),
            "recognized_on": day,
            "document_no": self.document_no(level, granting, type_code, day.year),
            "granted_by_id": granting.id,
            "revoked_on": None,
            "revocation_reason": None,
            "revocation_document_no": "",
            "source": "demo",
            "created_at": now,
        }

    # -- reports and grades --------------------------------------------------------------

    def reports_and_grades(self, histories: list, result: DemoResult, now: dt.datetime) -> None:
        rng = self.rng
        report_ids, figure_ids, eval_ids = _Ids(AnnualReport), _Ids(ReportFigure), _Ids(Evaluation)
        reports, figures, evaluations = [], [], []
        for carrier_id, type_code, recs, _region_id in histories:
            if not recs:
                continue
            first = min(r["recognized_on"] for r in recs)
            ended = min((r["revoked_on"] for r in recs if r["revoked_on"]), default=None)
            scale = rng.uniform(0.5, 2.5) * (1 + 0.5 * max(r["level"] for r in recs))
            for year in REPORT_YEARS:
                if year < first.year or (ended and year >= ended.year):
                    continue
                if rng.random() < 0.06:
                    continue  # a year not filed
                submitted = dt.datetime(
                    year + 1, rng.randint(1, 4), rng.randint(1, 28), 9, tzinfo=dt.UTC
                )
                status = ReportStatus.accepted if rng.random() < 0.9 else ReportStatus.submitted
                report_id = report_ids.take()
                reports.append(
                    {
                        "id": report_id,
                        "carrier_id": carrier_id,
                        "year": year,
                        "status": status.value,
                        "created_at": submitted,
                        "updated_at": submitted,
                        "submitted_at": submitted,
                        "decided_at": submitted + dt.timedelta(days=20)
                        if status == ReportStatus.accepted
                        else None,
                        "decided_by_id": None,
                        "comment": "",
                    }
                )
                growth = 1 + 0.08 * (year - REPORT_YEARS.start)
                for ind, value in self.figures(type_code, scale * growth):
                    figures.append(
                        {
                            "id": figure_ids.take(),
                            "report_id": report_id,
                            "indicator_id": ind.id,
                            "value": value,
                        }
                    )
                if status == ReportStatus.accepted and year <= 2024:
                    grade = self._grade(rng)
                    evaluations.append(
                        {
                            "id": eval_ids.take(),
                            "carrier_id": carrier_id,
                            "year": year,
                            "grade": grade.value,
                            "score": Decimal(_score_for(rng, grade)),
                            "suggested_grade": grade.value,
                            "suggested_score": None,
                            "comment": "",
                            "override_reason": "",
                            "graded_by_id": None,
                            "graded_at": dt.datetime(year + 1, 6, 15, 9, tzinfo=dt.UTC),
                        }
                    )
            if len(figures) > 50000:
                self._write_reports(reports, figures, evaluations, result)
        self._write_reports(reports, figures, evaluations, result)

    @staticmethod
    def _grade(rng: random.Random) -> Grade:
        return rng.choices(
            [Grade.excellent, Grade.good, Grade.passed, Grade.fail], [30, 48, 20, 2]
        )[0]

    def figures(self, type_code: str, scale: float) -> list[tuple[Indicator, Decimal]]:
        rng = self.rng
        base = {
            "incubation_area": 4000,
            "incubated_area_used": 3200,
            "incubated_firms": 30,
            "graduated_firms_year": 4,
            "graduated_firms_total": 15,
            "incubated_employees": 400,
            "graduate_hires": 40,
            "financed_firms": 5,
            "financing_amount": 20000,
            "fund_total": 3000,
            "staff": 15,
            "professional_staff": 12,
            "mentors": 8,
            "valid_ip": 60,
            "invention_patents": 10,
            "total_income": 6000,
            "space_area": 800,
            "workstations": 60,
            "teams_served": 30,
            "team_members": 150,
            "startups": 12,
            "new_firms_registered": 8,
            "financed_teams": 4,
            "typical_cases": 3,
            "events": 15,
            "full_time_staff": 5,
            "service_area": 500,
            "demo_base_area": 80,
            "trainings": 20,
            "farmers_trained": 600,
            "managers": 4,
            "office_area": 300,
            "tech_brokers": 3,
            "deals": 12,
            "contract_value": 1500,
            "service_income": 120,
            "firms_served": 60,
            "rd_investment": 800,
            "rd_staff": 40,
            "senior_rd_staff": 12,
            "rd_area": 1500,
            "equipment_value": 1500,
            "invention_patents_granted": 6,
            "transfer_projects": 5,
            "host_revenue": 30000,
        }
        out = []
        values: dict[str, Decimal] = {}
        for ind in self.indicators[type_code]:
            raw = base.get(ind.code, 10) * scale * rng.uniform(0.6, 1.4)
            value = Decimal(round(raw, 2)) if ind.value_kind == "decimal" else Decimal(int(raw))
            values[ind.code] = value
            out.append((ind, value.quantize(Decimal("0.01"))))
        # keep the figures consistent: space used by firms within the incubation space
        if "incubated_area_used" in values and "incubation_area" in values:
            used = min(values["incubated_area_used"], values["incubation_area"] * Decimal("0.9"))
            out = [
                (i, used.quantize(Decimal("0.01")) if i.code == "incubated_area_used" else v)
                for i, v in out
            ]
        return _consistent(out, self.checks.get(type_code, []))

    def _write_reports(
        self, reports: list, figures: list, evaluations: list, result: DemoResult
    ) -> None:
        if reports:
            db.session.execute(insert(AnnualReport), reports)
        if figures:
            db.session.execute(insert(ReportFigure), figures)
        if evaluations:
            db.session.execute(insert(Evaluation), evaluations)
        result.reports += len(reports)
        result.figures += len(figures)
        result.evaluations += len(evaluations)
        reports.clear()
        figures.clear()
        evaluations.clear()

    # -- accounts ------------------------------------------------------------------------

    def accounts(self, histories: list, result: DemoResult) -> None:
        password = hash_password(DEMO_PASSWORD)
        people = [
            ("admin@registry.example", Role.admin, None, "系统管理员"),
            ("most@registry.example", Role.reviewer, "000000", "科学技术部火炬中心"),
            ("sichuan@registry.example", Role.reviewer, "510000", "四川省科学技术厅"),
            ("chengdu@registry.example", Role.reviewer, "510100", "成都市科学技术局"),
            ("meishan@registry.example", Role.reviewer, "511400", "眉山市科学技术局"),
            ("dongpo@registry.example", Role.reviewer, "511402", "眉山市东坡区科学技术局"),
            ("chongqing@registry.example", Role.reviewer, "500000", "重庆市科学技术局"),
        ]
        for i in range(1, 6):
            people.append((f"carrier{i}@registry.example", Role.carrier, None, f"示范运营机构{i}"))
        users = []
        for email, role, code, name in people:
            region = self.by_code.get(code) if code else None
            users.append(
                User(
                    email=email,
                    password_hash=password,
                    role=role,
                    region_id=region.id if region else None,
                    name=name,
                    email_confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                )
            )
        db.session.add_all(users)
        db.session.flush()
        owners = [u for u in users if u.role == Role.carrier]
        # each demo organisation runs a few carriers in 眉山, one of them not yet recognised
        meishan = self.by_code["511400"].path
        owned = [h for h in histories if self.by_id[h[3]].path.startswith(meishan)]
        unrecognized = [h for h in owned if not h[2]]
        recognized = [h for h in owned if h[2]]
        for i, owner in enumerate(owners):
            picks = recognized[i * 3 : (i + 1) * 3] + unrecognized[i : i + 1]
            ids = [h[0] for h in picks]
            if ids:
                db.session.execute(
                    Carrier.__table__.update().where(Carrier.id.in_(ids)).values(owner_id=owner.id)
                )
        result.users = len(users)


def _figure_checks() -> dict[str, list[tuple[str, str, str | None]]]:
    """The consistency checks between report figures, by type code (seed data)."""
    from registry.reports.models import FigureCheck

    checks: dict[str, list[tuple[str, str, str | None]]] = {}
    for check in db.session.scalars(select(FigureCheck).order_by(FigureCheck.sort_order)):
        code = check.indicator.carrier_type.code
        bound2 = check.bound2.code if check.bound2 is not None else None
        checks.setdefault(code, []).append((check.indicator.code, check.bound.code, bound2))
    return checks


def _consistent(
    figures: list[tuple[Indicator, Decimal]], checks: list[tuple[str, str, str | None]]
) -> list[tuple[Indicator, Decimal]]:
    """Figures capped so that every check between them holds (no randomness used)."""
    values = {i.code: v for i, v in figures}
    for left, bound, bound2 in checks:
        if left in values and bound in values:
            limit = values[bound] + (values.get(bound2, Decimal(0)) if bound2 else Decimal(0))
            values[left] = min(values[left], limit)
    return [(i, values[i.code]) for i, _v in figures]


def _random_day(rng: random.Random, year: int) -> dt.date:
    last = DEMO_TODAY if year == DEMO_TODAY.year else dt.date(year, 12, 31)
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randint(0, (last - start).days))


def _score_for(rng: random.Random, grade: Grade) -> int:
    low, high = {"excellent": (90, 99), "good": (80, 89), "pass": (60, 79), "fail": (30, 59)}[
        grade.value
    ]
    return rng.randint(low, high)


def demo_credit_code_to_verify(_rng: random.Random, result: DemoResult) -> None:
    """A demo organisation runs a carrier not yet recognised (in 眉山 if there is one, else
    in 四川) and kept a credit code that fails its check character: the bureaus over it
    find it in their overview to verify."""
    from registry.carriers.models import CreditCodeReview

    owner = db.session.scalar(select(User).where(User.email == "carrier1@registry.example"))
    if owner is None:
        return
    never_recognised = ~select(Recognition.id).where(Recognition.carrier_id == Carrier.id).exists()
    carrier = None
    for code in ("511400", "510000"):
        area = db.session.scalar(select(Region.path).where(Region.code == code))
        carrier = db.session.scalar(
            select(Carrier)
            .join(Region, Region.id == Carrier.region_id)
            .where(never_recognised, Region.path.like(f"{area}%"), Carrier.uscc.is_not(None))
            .order_by(Carrier.id)
            .limit(1)
        )
        if carrier is not None:
            break
    if carrier is None:
        return
    wrong = uscc.ALPHABET[(uscc.ALPHABET.index(carrier.uscc[-1]) + 1) % len(uscc.ALPHABET)]
    carrier.uscc = carrier.uscc[:17] + wrong
    carrier.owner_id = owner.id
    db.session.add(
        CreditCodeReview(
            carrier_id=carrier.id,
            uscc=carrier.uscc,
            requested_by_id=owner.id,
            requested_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC),
        )
    )
    db.session.flush()
    result.extras.append(f"demo: {carrier.name} has a credit code awaiting a bureau's check")


DEMO_STEPS.append(demo_credit_code_to_verify)


def demo_workflow(rng: random.Random, result: DemoResult) -> None:
    """Applications in every status, 扩权县 (registry/applications/demo.py)."""
    from registry.applications.demo import demo_applications

    demo_applications(rng, result)


DEMO_STEPS.append(demo_workflow)


def _demo_report_due(rng: random.Random, result: DemoResult) -> None:
    from registry.reports.demo import demo_report_due

    demo_report_due(rng, result)


DEMO_STEPS.append(_demo_report_due)


def _advance_sequences() -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must catch up."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("carriers", "recognitions", "annual_reports", "report_figures", "evaluations"):
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
        )


def _register_domain_steps() -> None:
    from registry.targets.demo import enter_demo_figures

    DEMO_STEPS.append(enter_demo_figures)


_register_domain_steps()
