"""The load test's clients (locust): the public, carrier organisations and bureaus at once.

Run by bench/load.py, which prepares the database and the world file (LOAD_WORLD: accounts,
carriers, public ids) and checks the database afterwards against the writes acknowledged
here (LOAD_LEDGER: one JSON line per acknowledged write).

- PublicVisitor: searches (API and page), carrier pages, the home page, region pages.
- CarrierOrganisation: signs in (a token), edits its own carrier's address, applies for the
  next level, submits, sometimes withdraws a draft.
- Bureau: signs in, reads its review queue and acts on the oldest application: approves when
  its step is the last, recommends otherwise, now and then returns one with a comment. Two
  bureaus share each region, so they race for the same applications (one wins, one 409).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path

from locust import HttpUser, between, events, task

WORLD = json.loads(Path(os.environ["LOAD_WORLD"]).read_text(encoding="utf-8"))
LEDGER_PATH = os.environ["LOAD_LEDGER"]
_ledger_lock = threading.Lock()
_ledger: list[dict] = []
_owners = itertools.cycle(WORLD["owners"])
_bureaus = itertools.cycle(WORLD["bureaus"])
_edit_seq = itertools.count(1)

QUERIES = ["成都", "孵化", "众创", "眉山", "科技", "星创", "技术转移", "工程", "创新", "空间"]
REGIONS = ["510000", "510100", "511400", "511402", "500000", "320000"]
TYPES = ["incubator", "maker_space", "star_space", "tech_transfer", "eng_center"]
LEVELS = ["county", "municipal", "provincial", "national"]


def acknowledge(**write) -> None:
    with _ledger_lock:
        _ledger.append(write)


@events.test_stop.add_listener
def _write_ledger(**_kwargs) -> None:
    with open(LEDGER_PATH, "w", encoding="utf-8") as f:
        for write in _ledger:
            f.write(json.dumps(write, ensure_ascii=False) + "\n")


def expected(response, *codes: int) -> None:
    """Count a response as a failure unless its status is one of `codes`."""
    if response.status_code in codes:
        response.success()
    else:
        response.failure(f"{response.status_code}: {response.text[:200]}")


class PublicVisitor(HttpUser):
    weight = 6
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        # each visitor from its own address, as nginx would pass it on (REGISTRY_PROXY_FIX=1):
        # the rate limits count visitors apart
        self.client.headers["X-Forwarded-For"] = (
            f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"
        )

    @task(4)
    def search_api(self) -> None:
        params = {"q": random.choice(QUERIES), "per_page": 20}
        if random.random() < 0.5:
            params["type"] = random.choice(TYPES)
        if random.random() < 0.5:
            params["region"] = random.choice(REGIONS)
        if random.random() < 0.3:
            params["min_level"] = random.choice(LEVELS)
        with self.client.get(
            "/api/v1/carriers", params=params, name="/api/v1/carriers?…", catch_response=True
        ) as r:
            expected(r, 200)

    @task(2)
    def listing_page(self) -> None:
        params = {"q": random.choice(QUERIES), "region": random.choice(REGIONS)}
        with self.client.get(
            "/carriers", params=params, name="/carriers?…", catch_response=True
        ) as r:
            expected(r, 200)

    @task(3)
    def carrier_page(self) -> None:
        carrier_id = random.choice(WORLD["public_ids"])
        with self.client.get(
            f"/carriers/{carrier_id}", name="/carriers/[id]", catch_response=True
        ) as r:
            expected(r, 200)
        with self.client.get(
            f"/api/v1/carriers/{carrier_id}", name="/api/v1/carriers/[id]", catch_response=True
        ) as r:
            expected(r, 200)

    @task(1)
    def home(self) -> None:
        with self.client.get("/", catch_response=True) as r:
            expected(r, 200)

    @task(1)
    def region_page(self) -> None:
        code = random.choice(REGIONS)
        with self.client.get(f"/regions/{code}", name="/regions/[code]", catch_response=True) as r:
            expected(r, 200)


class _SignedIn(HttpUser):
    abstract = True
    account: dict

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = f"203.0.113.{random.randint(1, 254)}"
        self.sign_in()

    def sign_in(self) -> None:
        body = {"email": self.account["email"], "password": WORLD["password"]}
        with self.client.post("/api/v1/tokens", json=body, catch_response=True) as r:
            expected(r, 201)
            if r.status_code == 201:
                self.client.headers["Authorization"] = "Bearer " + r.json()["token"]

    def act(self, application_id: int, body: dict) -> None:
        """One workflow action; acknowledged when it took effect. 409: somebody else acted
        first (the other bureau of the region, or the carrier withdrew)."""
        with self.client.post(
            f"/api/v1/applications/{application_id}/actions",
            json=body,
            name="/api/v1/applications/[id]/actions",
            catch_response=True,
        ) as r:
            expected(r, 200, 409)
            if r.status_code == 200:
                acknowledge(
                    kind="action",
                    application_id=application_id,
                    action=body["action"],
                    version=r.json()["version"],
                )

    @task(1)
    def sign_in_again(self) -> None:
        """A fresh sign-in now and then: logins are part of the day's traffic."""
        self.sign_in()


class CarrierOrganisation(_SignedIn):
    weight = 3
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.account = next(_owners)
        super().on_start()

    @property
    def carrier_id(self) -> int:
        return self.account["carrier_id"]

    @task(4)
    def edit_carrier(self) -> None:
        address = f"{WORLD['address_prefix']}{next(_edit_seq)}号"
        with self.client.patch(
            f"/api/v1/carriers/{self.carrier_id}",
            json={"address": address},
            name="/api/v1/carriers/[id] PATCH",
            catch_response=True,
        ) as r:
            expected(r, 200)
            if r.status_code == 200:
                acknowledge(kind="edit", carrier_id=self.carrier_id, address=address)

    @task(3)
    def apply_or_submit(self) -> None:
        for status in ("draft", "returned"):
            with self.client.get(
                "/api/v1/applications",
                params={"status": status},
                name=f"/api/v1/applications?status={status}",
                catch_response=True,
            ) as r:
                expected(r, 200)
                items = r.json()["items"] if r.status_code == 200 else []
            own = [a for a in items if a["carrier_id"] == self.carrier_id]
            if own:
                action = "withdraw" if random.random() < 0.1 else "submit"
                self.act(own[0]["id"], {"action": action, "version": own[0]["version"]})
                return
        self._apply()

    def _apply(self) -> None:
        with self.client.get(
            f"/api/v1/carriers/{self.carrier_id}", name="/api/v1/carriers/[id]", catch_response=True
        ) as r:
            expected(r, 200, 404)
            current = r.json().get("level") if r.status_code == 200 else None
        higher = LEVELS[LEVELS.index(current) + 1 :] if current else LEVELS
        if not higher:
            return
        body = {
            "carrier_id": self.carrier_id,
            "level": higher[0],
            "figures": self.account["figures"],
        }
        with self.client.post("/api/v1/applications", json=body, catch_response=True) as r:
            # 409: an application is already open (e.g. in review): nothing to do now;
            # 422: a bureau approved the level between this client's read and its post,
            # so the level asked for is no longer above the current one (the server is right)
            expected(r, 201, 409, 422)
            if r.status_code == 201:
                acknowledge(kind="create", application_id=r.json()["id"])


class Bureau(_SignedIn):
    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.account = next(_bureaus)
        super().on_start()

    @task(4)
    def review_oldest(self) -> None:
        with self.client.get(
            "/api/v1/applications",
            params={"queue": "review", "per_page": 5},
            name="/api/v1/applications?queue=review",
            catch_response=True,
        ) as r:
            expected(r, 200)
            items = r.json()["items"] if r.status_code == 200 else []
        if not items:
            return
        application_id = random.choice(items)["id"]
        with self.client.get(
            f"/api/v1/applications/{application_id}",
            name="/api/v1/applications/[id]",
            catch_response=True,
        ) as r:
            expected(r, 200)
            if r.status_code != 200:
                return
            detail = r.json()
        allowed = detail["allowed_actions"]
        body: dict = {"version": detail["version"]}
        if "return" in allowed and random.random() < 0.1:
            body |= {"action": "return", "comment": "请补充场地租赁合同。"}
        elif "approve" in allowed:
            body |= {"action": "approve", "document_no": f"压测〔2026〕{application_id}号"}
        elif "recommend" in allowed:
            body |= {"action": "recommend"}
        else:
            return
        self.act(application_id, body)

    @task(1)
    def region_overview(self) -> None:
        with self.client.get("/api/v1/applications", catch_response=True) as r:
            expected(r, 200)
