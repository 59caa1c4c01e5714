"""F3: sentences drafted from the figures put into the texts — those of the focused field, or all (Shift+F3)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from .screens.replace import ReplaceScreen
from .session import Session

if TYPE_CHECKING:
    from .app import DrafterApp


def narrative_module():
    """drafter.narrative when it offers drafted sentences (drafts / insert_draft), else None."""
    try:
        from .. import narrative
    except ImportError:
        return None
    return narrative if hasattr(narrative, "drafts") and hasattr(narrative, "insert_draft") else None


def keys_for(session: Session, text_key: str) -> list[str]:
    """The drafts that belong in one text field: a sub-part of 一 by its title's topic (the 复议/诉讼 sentence goes
    with 依申请公开), 六 the 信息处理费 sentence; none for the others."""
    nar = narrative_module()
    if nar is None:
        return []
    keys = nar.draft_keys(session.report.format)
    if text_key == "other":
        return [k for k in keys if k.startswith("other:")]
    if not text_key.startswith("overview."):
        return []
    i = int(text_key.split(".")[1])
    parts = session.report.overview()
    title = str(parts[i].get("title") or "") if i < len(parts) else ""
    out = [k for k in keys if k.startswith("overview:") and nar.topic_matches(k.split(":", 1)[1], title)]
    if out and out[0] == keys[1]:       # 依申请公开: the 复议/诉讼 sentence is placed after its sentences
        out.append("appeals")
    return out


def _texts(session: Session) -> dict[str, str]:
    r = session.report
    out = {k: str(r.text.get(k) or "") for k in r.text if k != "overview"}
    for i, _ in enumerate(r.overview()):
        out[f"overview.{i}.body"] = session.box_text(f"overview.{i}.body")
        out[f"overview.{i}.title"] = session.box_text(f"overview.{i}.title")
    return out


def _carried(session: Session, paragraph: str) -> bool:
    """True when `paragraph` stands in a text carried from last year's report and not edited since."""
    carried = session.report.extra.get("carried_text") or []
    for key in carried if isinstance(carried, list) else []:
        field = f"{key}.body" if str(key).startswith("overview.") else str(key)
        if paragraph and paragraph in session.box_text(field):
            return True
    return False


async def insert_drafts(app: "DrafterApp", session: Session, keys: list[str] | None = None,
                        back_to: Widget | None = None) -> None:
    """Put the sentences drafted from the figures into the texts (`keys`, or all). A paragraph the clerk wrote
    (or carried from last year) that states the same figures is replaced only when the clerk says so, one question
    per paragraph. One undo step; says which texts changed; focus goes back to `back_to` (its field)."""
    nar = narrative_module()
    if nar is None:
        return
    available = {k: v for k, v in nar.drafts(session.report).items() if keys is None or k in keys}
    back_key = getattr(back_to, "key", None)
    if not available:
        app.notify("表格还没有填完，起草句要用到的数字尚未填写" if keys is None or keys else
                   "这一段没有按表格起草的文字（主动公开、依申请公开小节和六有）；Shift+F3 起草全部", severity="warning")
        return
    before, texts = session.snapshot(), _texts(session)
    asks = []
    for key in available:
        try:
            if not nar.insert_draft(session.report, key):
                asks.append((key, nar.draft_conflict(session.report, key), available[key]))
        except nar.DraftError:       # a figure went blank meanwhile: skip this draft
            continue
    session.changed()
    await app.resync()
    replaced: list[str] = []

    def finish() -> None:
        now = _texts(session)
        changed = [k for k, v in now.items() if texts.get(k) != v]
        names = list(dict.fromkeys(session.text_name(k.removesuffix(".body")) for k in changed))
        if changed:
            session.push("插入起草文字（" + "、".join(names) + "）", session.text_place(changed[0]), before)
            kept = len(asks) - len(replaced)
            app.say("已插入起草文字：" + "、".join(names) + (f"；保留原文{kept}段" if kept else ""))
        elif asks:
            app.say(f"保留原文{len(asks)}段，没有改动")
        else:
            app.say("起草文字已是最新，没有改动")
        if back_key:
            app.goto(session.text_place(back_key))
        elif changed:
            app.goto(session.text_place(changed[0]))

    def ask(i: int) -> None:
        if i == len(asks):
            finish()
            return
        key, mine, new = asks[i]
        if mine is None:                # nothing left to replace
            ask(i + 1)
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                try:
                    nar.insert_draft(session.report, key, force=True)
                    replaced.append(key)
                except nar.DraftError:
                    pass
                session.changed()
                await app.resync()
            ask(i + 1)

        app.push_screen(ReplaceScreen(mine, new, carried=_carried(session, mine)), answered)

    ask(0)
