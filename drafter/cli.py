"""drafter's command line: each subcommand lives in drafter/commands/<name>.py with add_arguments() and run()."""
from __future__ import annotations

import argparse
import importlib
import sys

# (subcommand, module, one-line help in Chinese)
COMMANDS = [
    ("new", "new", "新建本年度报告（可从上年报告带入）"),
    ("edit", "edit", "打开报告，逐节填写"),
    ("check", "check", "检查报告的勾稽关系和填写问题"),
    ("render", "render", "生成Word（.docx）、网页或PDF"),
    ("import", "import_", "读取已发布的报告（网页文本、.docx、.html）"),
    ("summary", "summary", "汇总多个单位的报告"),
    ("doctor", "doctor", "检查运行环境（版本、LibreOffice、中文字体）"),
]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="drafter", description="政府信息公开工作年度报告：填写、检查、生成。")
    sub = p.add_subparsers(dest="command", metavar="命令")
    for name, module, help_ in COMMANDS:
        try:
            mod = importlib.import_module(f"drafter.commands.{module}")
        except ModuleNotFoundError as e:
            if e.name != f"drafter.commands.{module}":
                raise
            continue
        sp = sub.add_parser(name, help=help_, description=help_)
        mod.add_arguments(sp)
        sp.set_defaults(_run=mod.run)
    return p


def safe_console() -> None:
    """A console that cannot encode Chinese (a GBK code page meets a character outside GBK, or an ASCII
    locale) prints replacements instead of ending in UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "ascii").replace("-", "").replace("_", "").lower()
        reconfigure = getattr(stream, "reconfigure", None)
        if enc not in ("utf8", "utf8sig", "utf16", "utf32", "gb18030") and reconfigure is not None:
            reconfigure(errors="replace")


def main(argv=None) -> int:
    from .report import ReportError
    from .rules import RuleFileError

    safe_console()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except ReportError as e:
        from .outputs import shown_path
        print(f"drafter：{shown_path(str(e))}", file=sys.stderr)    # a file name's escape codes shown, not sent
        return 2
    except RuleFileError as e:
        print(f"drafter：{e}", file=sys.stderr)      # a broken validators/*.yaml: file, rule and field
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
