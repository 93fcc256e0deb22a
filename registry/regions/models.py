"""Administrative divisions (GB/T 2260): a tree country → province → prefecture → county."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base
from registry.enums import Choice, enum_column_type

COUNTRY_CODE = "000000"
SEGMENT = 7  # six-digit code plus the "/" separator in a materialised path
# Official placeholder tiers (e.g. 北京市 › 市辖区) left out of a region's full name.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class RegionLevel(Choice):
    """Depth of a region in the administrative tree."""

    country = "country"
    province = "province"
    prefecture = "prefecture"
    county = "county"

    __titles__ = {
        "country": _l("Country"),
        "province": _l("Province"),
        "prefecture": _l("Prefecture"),
        "county": _l("County"),
    }

    @property
    def depth(self) -> int:
        return list(RegionLevel).index(self)

    @classmethod
    def at_depth(cls, depth: int) -> RegionLevel:
        return list(cls)[depth]


class Region(Base):
    """One administrative division; `path` lists the codes from the country down to it."""

    __tablename__ = "regions"
    __table_args__ = (
        CheckConstraint("length(code) = 6", name="code_six_chars"),
        CheckConstraint("(parent_id IS NULL) = (level = 'country')", name="root_is_country"),
        Index("ix_regions_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[RegionLevel] = mapped_column(enum_column_type(RegionLevel, "region_level"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    path: Mapped[str] = mapped_column(String(32))
    is_direct_to_province: Mapped[bool] = mapped_column(Boolean, default=False)

    parent: Mapped[Region | None] = relationship(remote_side=[id], lazy="joined", join_depth=3)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"

    @property
    def depth(self) -> int:
        return self.level.depth

    @property
    def path_codes(self) -> list[str]:
        return self.path.split("/")

    def ancestors(self) -> list[Region]:
        """From the country down to (not including) this region."""
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def bureau_name(self) -> str:
        """The science bureau of this region, e.g. 四川省科学技术厅, 眉山市东坡区科学技术局."""
        if self.level == RegionLevel.country:
            return "中华人民共和国科学技术部"
        if self.level == RegionLevel.province:
            suffix = (
                "科学技术委员会"
                if self.code in ("110000", "310000")
                else ("科学技术局" if self.code in ("120000", "500000") else "科学技术厅")
            )
            return self.name + suffix
        return self.full_name + "科学技术局"

    @property
    def full_name(self) -> str:
        """Name with its province and prefecture, e.g. 四川省眉山市东坡区."""
        parts = [r.name for r in self.ancestors() if r.level != RegionLevel.country]
        parts = [p for p in parts if p not in PLACEHOLDER_NAMES]
        return "".join([*parts, self.name])
