"""F3: sentences drafted from the figures put into the texts."""
from __future__ import annotations

from typing import TYPE_CHECKING

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


async def insert_drafts(app: "DrafterApp", session: Session) -> None:
    """Put the sentences drafted from the figures into the texts. A paragraph the clerk wrote that states the same
    figures is replaced only when the clerk says so, one question per paragraph."""
    nar = narrative_module()
    if nar is None:
        return
    available = nar.drafts(session.report)
    if not available:
        app.notify("表格还没有填完，起草句要用到的数字尚未填写", severity="warning")
        return
    done, asks = [], []
    for key in available:
        try:
            if nar.insert_draft(session.report, key):
                done.append(key)
            else:
                asks.append((key, nar.draft_conflict(session.report, key), available[key]))
        except nar.DraftError:       # a figure went blank meanwhile: skip this draft
            continue
    session.changed()
    from .panes.overview import OverviewPane

    await app.query_one(OverviewPane).recompose()
    app.reload_texts()
    app.after_change()
    if done:
        app.notify(f"已插入{len(done)}段起草文字")
    replaced: list[str] = []

    def ask(i: int) -> None:
        if i == len(asks):
            if asks:
                app.notify(f"替换了{len(replaced)}段，保留了您写的{len(asks) - len(replaced)}段")
            return
        key, mine, new = asks[i]
        if mine is None:                # nothing left to replace
            ask(i + 1)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    nar.insert_draft(session.report, key, force=True)
                    replaced.append(key)
                except nar.DraftError:
                    pass
                session.changed()
                app.reload_texts()
                app.after_change()
            ask(i + 1)

        app.push_screen(ReplaceScreen(mine, new), answered)

    ask(0)
