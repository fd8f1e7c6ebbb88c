"""Customer service benchmark: import rate, name search, phone lookup, tier re-classification.

Run from the workspace root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/customers.py [--customers 1000000] [--import-rows 100000] [--queries 200]

One run, in a fresh throwaway database (dropped at the end, also on Ctrl-C or an error):
  1. applies the customer migrations and loads N customers with COPY (one contact with an encrypted phone and
     its blind index each; Chinese and Latin company names), rebuilds the trigram index, VACUUM ANALYZE;
  2. imports a generated CSV of M new customers (one contact row each) through the real job runner
     (`customer.imports.jobs.run`: parse, validate with the API's models, chunked bulk writes, outbox events);
  3. times name searches (`search.get_all` with `q`, partial Chinese and Latin, as an agent of one team, so the
     R-09 visibility filter applies) and exact phone lookups (`search.lookup` after normalising a spaced number);
  4. times one scheduled tier re-classification pass (`customer.classification.scheduled.reclassify_all`).
It prints figures against the aims (import >= 2,000 rows/s, search p95 < 50 ms, lookup p95 < 5 ms) and
asserts nothing about time. See bench/README.md, section "Customer benchmark".
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import math
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DSN = "postgresql://postgres@127.0.0.1:5432/{db}"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
AIMS = {"import": 2000.0, "search_p95_ms": 50.0, "lookup_p95_ms": 5.0}

CITIES = "北京 上海 广州 深圳 杭州 南京 成都 武汉 西安 苏州 天津 重庆 长沙 青岛 厦门 宁波 合肥 郑州 济南 福州".split()
# brand names: two of these characters (7,744 pairs), like real 字号 of companies
WORDS = list(
    "华瑞恒信达泰鑫源盛博创智通联海天宏佳安康德明光新金科益丰润星中国东方南北正大汇嘉美力远航腾飞"
    "龙凤祥和兴旺鼎立伟业隆昌富贵荣耀晨阳辉煌永乐长江山河林森雅致精诚卓越卫民利群众合平顺"
)
KINDS = "科技 贸易 电子 机械 医药 物流 建材 食品 软件 化工 纺织 咨询".split()
# Latin names: made-up words of two or three syllables, as varied as real ones
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["sun", "tek", "lin", "mar", "ston", "ver"]
LATIN_KINDS = "Trading Technology Logistics Foods Electronics Machinery Consulting Pharma".split()


def latin_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def company(rng: random.Random, i: int) -> str:
    if i % 4 == 3:
        return f"{latin_word(rng)} {latin_word(rng)} {rng.choice(LATIN_KINDS)} Co {i}"
    return f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(KINDS)}有限公司{i}"


def phone(i: int, base: int) -> str:
    return f"+86139{(base + i) % 10**8:08d}"


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def load(dsn: str, n: int, rng: random.Random, chunk: int = 20_000) -> None:
    from customer.search.rules import search_key
    from servicekit.pii import blind_index, encrypt

    now = datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET synchronous_commit = off")
        await conn.execute("DROP INDEX ix_customers_search_name_trgm")  # built once after the load
        c_cols = (
            "id",
            "number",
            "name",
            "search_name",
            "customer_type",
            "stage",
            "tier",
            "service_level",
            "tags",
            "risk_state",
            "revenue_12m",
            "orders_12m",
            "complaints_12m",
            "figures_version",
            "owner",
            "team",
            "owner_set_by_hand",
            "cooperation_history",
            "version",
            "created_at",
            "updated_at",
            "created_by",
        )
        k_cols = ("id", "customer_id", "name", "primary", "created_at", "updated_at")
        p_cols = ("id", "contact_id", "customer_id", "kind", "value", "value_index", "position")
        for start in range(0, n, chunk):
            customers, contacts, points = [], [], []
            for i in range(start, min(n, start + chunk)):
                cid, kid = str(uuid.uuid4()), str(uuid.uuid4())
                name = company(rng, i)
                revenue = rng.choice((0, 50_000, 500_000, 2_000_000))
                customers.append(
                    (
                        cid,
                        f"KH-{now.year}-{i + 1:06d}",
                        name,
                        search_key(name),
                        "normal",
                        "cooperation",
                        "low",
                        "normal",
                        "[]",
                        "normal",
                        revenue,
                        rng.randint(0, 30),
                        rng.randint(0, 3),
                        0,
                        f"sales{i % 300}",
                        f"team-{i % 20}",
                        False,
                        "[]",
                        1,
                        now,
                        now,
                        "bench",
                    )
                )
                contacts.append((kid, cid, "联系人", True, now, now))
                value = phone(i, 10_000_000)
                points.append((str(uuid.uuid4()), kid, cid, "phone", encrypt(value), blind_index(value), 0))
            await conn.copy_records_to_table("customers", records=customers, columns=c_cols)
            await conn.copy_records_to_table("contacts", records=contacts, columns=k_cols)
            await conn.copy_records_to_table("contact_points", records=points, columns=p_cols)
            log(f"  loaded {min(n, start + chunk):,} customers")
        await conn.execute("INSERT INTO number_counters (prefix, year, last) VALUES ('KH', $1, $2)", now.year, n)
        started = time.perf_counter()
        await conn.execute(
            "CREATE INDEX ix_customers_search_name_trgm ON customers USING gin (search_name gin_trgm_ops)"
        )
        log(f"  trigram index built in {time.perf_counter() - started:.1f} s")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def import_file(rows: int, rng: random.Random, offset: int) -> bytes:
    lines = ["name,industry,tier,tags,contact_name,position,phone,email"]
    for i in range(rows):
        name = company(rng, 5_000_000 + offset + i).replace(",", " ")
        lines.append(
            f"{name},软件,mid,import,张{i % 100},经理,{phone(offset + i, 50_000_000)},c{offset + i}@example.com"
        )
    return ("\n".join(lines) + "\n").encode()


async def run(args: argparse.Namespace) -> None:
    # settings are read on first use: point them at the bench database and a scratch directory first
    db_name = args.database or f"crm_bench_customers_{os.getpid()}"
    os.environ["CRM_CUSTOMER_DATABASE_URL"] = PG_URL.format(db=db_name)
    os.environ["CRM_VAR_DIR"] = tempfile.mkdtemp(prefix="crm-bench-customers-")
    os.environ.setdefault("CRM_LOG_LEVEL", "WARNING")
    import customer
    from customer.classification import scheduled
    from customer.contacts.rules import normalise_phone
    from customer.imports import jobs
    from customer.imports.models import ImportJob
    from customer.models import kit
    from customer.search import service as search
    from customer.search.schemas import CustomerFilters
    from servicekit.auth import Principal, Role
    from servicekit.db import Database
    from servicekit.migrations import upgrade
    from servicekit.outbox import Outbox
    from servicekit.pii import blind_index

    rng = random.Random(time.time_ns() if args.database else 7)
    if not args.database:
        await admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        await admin(f'CREATE DATABASE "{db_name}"')
    db = None
    try:
        if args.database:  # a kept database: load nothing, import rows that are new to it
            conn = await asyncpg.connect(PG_DSN.format(db=db_name))
            args.customers = await conn.fetchval("SELECT count(*) FROM customers")
            await conn.close()
            log(f"reusing {db_name} with {args.customers:,} customers")
        else:
            await asyncio.to_thread(upgrade, customer.MIGRATIONS, PG_URL.format(db=db_name))
            log(f"loading {args.customers:,} customers with COPY")
            started = time.perf_counter()
            await load(PG_DSN.format(db=db_name), args.customers, rng)
            log(f"loaded in {time.perf_counter() - started:.1f} s")
        db = Database(PG_URL.format(db=db_name), service="customer")
        db.session_info.update(outbox=Outbox(producer="customer", table=kit.outbox), kit_tables=kit)
        importer = Principal("bench-importer", frozenset({Role.manager}), "team-1")
        data = import_file(args.import_rows, rng, offset=args.customers)
        job = jobs.new_job(importer, "bench.csv", data, dry_run=False, import_valid_rows=False, created_at=db.clock())
        async with db.session() as session:
            session.add(job)
        log(f"importing {args.import_rows:,} rows ({len(data) / 2**20:.1f} MiB CSV) through the job runner")
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        await jobs.run(db, job.id, importer)
        import_s = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        async with db.session() as session:
            done = await session.get(ImportJob, job.id)
            outbox_rows = (await session.execute(kit.outbox.select().with_only_columns(kit.outbox.c.seq))).all()
        log(
            f"import {done.status}: created {done.created_count:,}, errors {done.error_count},"
            f" outbox rows {len(outbox_rows):,}"
        )

        agent = Principal("sales7", frozenset({Role.agent}), "team-7")
        filters = CustomerFilters
        # partial names cut from random loaded customers: brand + kind (华瑞科技), city + brand (北京华瑞),
        # or the first 6-12 characters of a Latin name
        conn = await asyncpg.connect(PG_DSN.format(db=db_name))
        sample = [r[0] for r in await conn.fetch("SELECT name FROM customers TABLESAMPLE SYSTEM (1) LIMIT 5000")]
        await conn.close()
        chinese = [n for n in sample if not n.isascii()]
        latin = [n for n in sample if n.isascii()]
        queries = [
            ("chinese", (lambda n: n[2:6] if i % 2 else n[:4])(rng.choice(chinese))) for i in range(args.queries // 2)
        ]
        queries += [("latin", rng.choice(latin)[: rng.randint(6, 12)]) for _ in range(args.queries // 2)]
        search_ms: dict[str, list[float]] = {"chinese": [], "latin": []}
        hits = 0
        for kind, q in queries:
            async with db.session() as session:
                started = time.perf_counter()
                page, _ = await search.get_all(session, agent, limit=20, cursor=None, filters=filters(q=q))
                search_ms[kind].append((time.perf_counter() - started) * 1000)
                hits += bool(page)
        lookup_ms: list[float] = []
        found = 0
        for _ in range(args.queries):
            i = rng.randrange(args.customers)
            raw = phone(i, 10_000_000)
            spaced = f"{raw[3:6]} {raw[6:10]} {raw[10:]}"
            async with db.session() as session:
                started = time.perf_counter()
                result = await search.lookup(
                    session,
                    Principal("m", frozenset({Role.manager})),
                    kind="phone",
                    value_index=blind_index(normalise_phone(spaced)),
                )
                lookup_ms.append((time.perf_counter() - started) * 1000)
                found += len(result)
        reclassified, reclass_s = 0, float("nan")
        if not args.skip_reclassify:
            started = time.perf_counter()
            reclassified = await scheduled.reclassify_all(db)
            reclass_s = time.perf_counter() - started

        rate = args.import_rows / import_s
        print()
        print(f"customers loaded            {args.customers:,}  (database {db_name})")
        print(
            f"import                      {args.import_rows:,} rows in {import_s:.1f} s = {rate:,.0f} rows/s "
            f"(aim >= {AIMS['import']:,.0f})"
        )
        for kind, values in search_ms.items():
            if values:
                print(
                    f"name search {kind:<8}        p50 {statistics.median(values):6.1f} ms"
                    f"  p95 {percentile(values, 95):6.1f} ms"
                    f"  (n={len(values)}, aim p95 < {AIMS['search_p95_ms']:.0f} ms)"
                )
        print(f"  queries with a hit        {hits}/{len(queries)}")
        print(
            f"phone lookup                p50 {statistics.median(lookup_ms):6.2f} ms"
            f"  p95 {percentile(lookup_ms, 95):6.2f} ms"
            f"  (n={len(lookup_ms)}, found {found}, aim p95 < {AIMS['lookup_p95_ms']:.0f} ms)"
        )
        print(
            f"tier re-classification pass {reclass_s:.1f} s over {args.customers + args.import_rows:,} customers "
            f"({reclassified:,} changed)"
        )
        print(
            json.dumps(
                {
                    "import_rows_per_s": round(rate),
                    "reclassify_s": round(reclass_s, 1),
                    "search_p95_ms": {k: round(percentile(v, 95), 1) for k, v in search_ms.items() if v},
                    "lookup_p95_ms": round(percentile(lookup_ms, 95), 2),
                }
            )
        )
    finally:
        if db is not None:
            await db.dispose()
        if not args.keep and not args.database:
            await admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000, help="customers bulk-loaded first")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the imported CSV")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed) for --database")
    parser.add_argument("--database", default=None, help="reuse a database a --keep run left: no load, not dropped")
    parser.add_argument("--profile", action="store_true", help="cProfile the import and print the top functions")
    parser.add_argument("--skip-reclassify", action="store_true", help="leave out the re-classification pass")
    parser.add_argument("--queries", type=int, default=200, help="name searches and phone lookups each")
    args = parser.parse_args()
    try:
        asyncio.run(run(args))
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
