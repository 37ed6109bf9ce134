"""The `xianfeng` command: init, run, worker, plugins, createuser, demo, db."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys

from core.settings import Settings


def _bootstrap(settings: Settings):
    from core.db import Database
    from core.permissions import PermissionRegistry
    from core.plugins import Plugins

    settings.ensure_dirs()
    plugins = Plugins(settings)
    plugins.models()
    registry = PermissionRegistry(plugins.collect("xf_permissions"))
    return plugins, registry, Database(settings)


async def _init(settings: Settings) -> tuple[str, str] | None:
    from core.seed import ensure_first_admin, seed_all

    plugins, registry, db = _bootstrap(settings)
    await db.upgrade(plugins)
    async with db.sessionmaker() as session:
        await seed_all(session, settings, plugins, registry)
        created = await ensure_first_admin(session, settings, plugins, os.environ.get("XIANFENG_ADMIN_PASSWORD"))
    await db.dispose()
    return created


def cmd_init(args, settings: Settings) -> int:
    created = asyncio.run(_init(settings))
    print(f"数据库已就绪：{settings.database_url}")
    if created:
        print("已创建首个学院党委管理员账号（密码只显示这一次，请妥善保存）：")
        print(f"  账号：{created[0]}")
        print(f"  密码：{created[1]}")
    return 0


def cmd_run(args, settings: Settings) -> int:
    # Upgrade once here, before the workers exist: each worker's start then finds the schema
    # at head (a read-only check), so workers never migrate concurrently.
    created = asyncio.run(_init(settings))
    if created:
        print(f"已创建首个管理员：账号 {created[0]}，密码 {created[1]}（只显示这一次）")
    workers = args.workers or settings.web_workers
    print(f"Web 服务：{args.host}:{args.port}，{workers} 个工作进程（{settings.database_url.split(':', 1)[0]}）", flush=True)
    serve("core.cli:app_factory", settings, host=args.host, port=args.port, workers=workers)
    return 0


def serve(app: str, settings: Settings, *, host: str, port: int, workers: int) -> None:
    """uvicorn with the options every Xianfeng web process uses (and the load benchmark's bare
    app, so both are measured on the same server): uvloop and httptools (picked by "auto",
    pinned in pyproject.toml), the ``access_log`` setting, and ``workers`` processes."""
    import uvicorn

    uvicorn.run(app, factory=True, host=host, port=port, workers=workers, log_level="info", loop="auto", http="auto",
                access_log=settings.access_log, timeout_graceful_shutdown=10)


def app_factory():
    from core.app import create_app

    return create_app(Settings())


def cmd_worker(args, settings: Settings) -> int:
    import logging.config

    from arq.logs import default_log_config
    from arq.worker import run_worker

    from core.jobs import worker_settings

    logging.config.dictConfig(default_log_config(verbose=False))
    settings.ensure_dirs()
    # Functions and cron jobs of every plugin (xf_jobs / xf_cron_jobs); --burst delivers what is
    # pending, fires due timers, runs the queue and exits.
    run_worker(worker_settings(settings, burst=args.burst))
    return 0


def cmd_plugins(args, settings: Settings) -> int:
    from core.plugins import Plugins

    plugins = Plugins(settings)
    for p in plugins.ordered:
        print(f"{p.name} {p.version}  {p.title}")
        print(f"    depends: {', '.join(p.depends) or '-'}")
        print(f"    hooks:   {', '.join(p.hooks) or '-'}")
    return 0


async def _createuser(settings: Settings, args) -> None:
    from core.seed import create_user, seed_all

    plugins, registry, db = _bootstrap(settings)
    await db.upgrade(plugins)
    async with db.sessionmaker() as session:
        await seed_all(session, settings, plugins, registry)
        await create_user(session, settings, plugins, username=args.name, password=args.password, role_keys=args.role, name=args.display_name or args.name)
        await session.commit()
    await db.dispose()


def cmd_createuser(args, settings: Settings) -> int:
    try:
        asyncio.run(_createuser(settings, args))
    except ValueError as exc:
        print(f"创建失败：{exc}", file=sys.stderr)
        return 2
    print(f"已创建账号 {args.name}（角色：{'、'.join(args.role)}）")
    return 0


async def _demo(settings: Settings, args):
    from core.demo import DemoContext, run_demo
    from core.security import password_problem
    from core.seed import seed_all

    if args.password and password_problem(args.password):
        raise ValueError(password_problem(args.password))
    plugins, registry, db = _bootstrap(settings)
    await db.upgrade(plugins)
    ctx = DemoContext(students=args.students, password=args.password, living=not args.bare)
    async with db.sessionmaker() as session:
        await seed_all(session, settings, plugins, registry)
        await run_demo(session, settings, plugins, ctx)
    await db.dispose()
    return ctx


def cmd_demo(args, settings: Settings) -> int:
    try:
        ctx = asyncio.run(_demo(settings, args))
    except ValueError as exc:
        print(f"演示数据生成失败：{exc}", file=sys.stderr)
        return 2
    print(f"演示学院已生成：{len(ctx.accounts)} 个账号")
    print(f"{'账号':<16}{'密码':<18}{'角色':<10}{'支部':<24}姓名")
    students = [a for a in ctx.accounts if a.role == "学生"]
    limit = args.show_students if args.show_students is not None else (len(students) if len(students) <= 300 else 20)
    shown = [a for a in ctx.accounts if a.role != "学生"] + students[:limit]
    for a in shown:
        print(f"{a.username:<16}{a.password:<18}{a.role:<10}{a.branch:<24}{a.name}")
    hidden = len(ctx.accounts) - len(shown)
    if hidden > 0:
        print(f"……另有 {hidden} 个学生账号（账号为学号，密码同上；用 --show-students N 显示更多）")
    return 0


async def _db(settings: Settings, args) -> int:
    from core import revisions

    plugins, _registry, db = _bootstrap(settings)
    try:
        if args.db_cmd == "upgrade":
            changed = await db.upgrade(plugins)
            print("数据库已升级到最新版本" if changed else "数据库已是最新版本，无需升级")
        elif args.db_cmd == "current":
            rows = await revisions.current(db.engine, plugins)
            if not rows:
                print("数据库尚无版本记录（新数据库，或由旧版本建表；执行 xianfeng db upgrade）")
            for rev, branch, head in rows:
                state = "最新" if head else ("插件未启用" if not branch else "待升级")
                print(f"{rev:<24}{branch or '-':<16}{state}")
        elif args.db_cmd == "history":
            for rev, parents, branch, doc in revisions.history(plugins):
                print(f"{parents} -> {rev}  [{branch}]  {doc.splitlines()[0] if doc else ''}")
        else:
            path = await revisions.new_revision(plugins, args.branch, args.message, autogenerate=not args.empty)
            print(f"已生成迁移脚本：{path}")
    finally:
        await db.dispose()
    return 0


def cmd_db(args, settings: Settings) -> int:
    return asyncio.run(_db(settings, args))


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if not 0 <= n <= 64:
        raise argparse.ArgumentTypeError("须为 0 到 64 之间的整数（0 表示每个 CPU 核一个）")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="xianfeng", description="先锋党建管理平台")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("init", help="升级数据库结构、初始化数据并创建首个管理员")
    p = sub.add_parser("run", help="启动 Web 服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=_count, default=0, help="Web 工作进程数（默认：配置项 workers，0 表示每个 CPU 核一个）")
    p = sub.add_parser("worker", help="启动 arq 后台任务进程")
    p.add_argument("--burst", action="store_true", help="处理完队列即退出")
    sub.add_parser("plugins", help="列出已加载的插件")
    p = sub.add_parser("createuser", help="创建账号")
    p.add_argument("name")
    p.add_argument("--password", required=True)
    p.add_argument("--role", action="append", required=True, help="角色标识，可重复")
    p.add_argument("--display-name", default="")
    p = sub.add_parser("demo", help="生成演示学院数据")
    p.add_argument("--students", type=int, default=200)
    p.add_argument("--bare", action="store_true", help="只生成组织、账号和学生，不生成发展流程、评价等业务数据")
    p.add_argument("--password", default=None, help="所有演示账号使用此密码")
    p.add_argument("--show-students", type=int, default=None, help="打印多少个学生账号（默认：不超过300个时全部打印）")
    p = sub.add_parser("db", help="数据库结构迁移（升级、查看版本）")
    dbs = p.add_subparsers(dest="db_cmd", required=True)
    dbs.add_parser("upgrade", help="把数据库结构升级到最新版本（核心及已启用插件；升级前请先备份）")
    dbs.add_parser("current", help="显示数据库当前的迁移版本")
    dbs.add_parser("history", help="列出核心及已启用插件的全部迁移版本")
    p = dbs.add_parser("revision", help="为核心或某个插件生成新的迁移脚本（开发用）")
    p.add_argument("--branch", required=True, help="core 或插件名")
    p.add_argument("-m", "--message", required=True, help="迁移说明（英文）")
    p.add_argument("--empty", action="store_true", help="生成空脚本，不与模型比较")
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except Exception as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return 2
    handler = {"init": cmd_init, "run": cmd_run, "worker": cmd_worker, "plugins": cmd_plugins,
               "createuser": cmd_createuser, "demo": cmd_demo, "db": cmd_db}[args.cmd]
    from core.migrate import MigrationError
    from core.plugins import PluginError

    try:
        return handler(args, settings)
    except PluginError as exc:
        print(f"插件错误：{exc}", file=sys.stderr)
        return 2
    except MigrationError as exc:
        print(f"数据库迁移错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
