"""Platform figures: admin user list, mini-program "me", login throughput."""
from __future__ import annotations

import itertools
import statistics
import time

from benchmarks import figure
from benchmarks.common import DEMO_PASSWORD, bench_env, log, machine_load, ok_response, summary, timed

COMMITTEE = "dangwei"
PER_PAGE = 50


def _biggest_class(env) -> tuple[int, str, int]:
    """(id, label, students) of the 班级 institution with the most users."""
    h = env.auth(COMMITTEE)
    r = env.client.get("/api/pc/v1/institutions/options", headers=h)
    ok_response(r)
    classes = [o for o in r.json()["data"]["options"] if "班级" in o["label"]]
    if not classes:
        raise RuntimeError("no 班级 institution in the demo data")
    best = None
    for o in classes:
        r = env.client.get("/api/pc/v1/users", params={"page": 1, "per_page": 1, "institution_id": o["value"]}, headers=h)
        ok_response(r)
        total = r.json()["data"]["total"]
        if best is None or total > best[2]:
            best = (o["value"], o["label"], total)
    return best


def _students(env, n: int) -> list[str]:
    h = env.auth(COMMITTEE)
    names: list[str] = []
    page = 1
    while len(names) < n:
        r = env.client.get("/api/pc/v1/users", params={"page": page, "per_page": 200}, headers=h)
        ok_response(r)
        items = r.json()["data"]["items"]
        if not items:
            break
        names += [u["username"] for u in items if "student" in u["role_keys"]]
        page += 1
    if len(names) < n:
        raise RuntimeError(f"only {len(names)} students, need {n}")
    return names[:n]


def admin_user_list(env, results: list[dict]) -> None:
    inst_id, label, total = _biggest_class(env)
    pages = max(1, -(-total // PER_PAGE))
    log(f"user list: institution {label} (id {inst_id}) with {total} users, {pages} pages of {PER_PAGE}")
    h = env.auth(COMMITTEE)
    cycle = itertools.cycle(range(1, pages + 1))

    def call():
        return env.client.get("/api/pc/v1/users", params={"page": next(cycle), "per_page": PER_PAGE, "institution_id": inst_id}, headers=h)

    before = env.sql.count
    ms = timed(call, n=100, warmup=10, check=ok_response)
    log(f"admin_user_list_ms: {summary(ms)}; {(env.sql.count - before) / 110:.1f} SQL statements/request")
    figure(results, "admin_user_list_ms", statistics.median(ms), "ms", 30, "lower")


def mp_me(env, results: list[dict]) -> None:
    student = _students(env, 1)[0]
    h = env.auth(student)
    before = env.sql.count
    ms = timed(lambda: env.client.get("/api/mp/v1/me", headers=h), n=300, warmup=20, check=ok_response)
    log(f"mp_me_ms ({student}): {summary(ms)}; {(env.sql.count - before) / 320:.1f} SQL statements/request")
    figure(results, "mp_me_ms", statistics.median(ms), "ms", 10, "lower")


def logins(env, results: list[dict], n: int = 40) -> None:
    students = _students(env, n + 3)
    warm, timed_users = students[:3], students[3:]

    def login(username):
        r = env.client.post("/api/mp/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        if r.status_code != 200 or "token" not in r.json():
            raise RuntimeError(f"login {username} -> {r.status_code}: {r.text[:200]}")

    for u in warm:
        login(u)
    t0 = time.perf_counter()
    for u in timed_users:
        login(u)
    elapsed = time.perf_counter() - t0
    log(f"logins_per_s: {len(timed_users)} sequential logins in {elapsed:.2f}s ({elapsed / len(timed_users) * 1000:.1f} ms each)")
    figure(results, "logins_per_s", len(timed_users) / elapsed, "1/s", None, "higher")


def run(results: list[dict]) -> None:
    env = bench_env()
    log(machine_load())
    admin_user_list(env, results)
    mp_me(env, results)
    logins(env, results)
    log(machine_load())
