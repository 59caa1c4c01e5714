"""Draft bookkeeping: drafted paragraphs put into the texts without overwriting the clerk's words, and kept current
while unchanged (report.extra['drafted'])."""
from __future__ import annotations

from ..formats import load_format
from ..report import Report
from .drafting import DraftError, _topics, draft, draft_keys
from .reader import statements
from .text import _FEE_RE, _body_len, normalise, paragraphs, similarity, text_items, topic_matches, topic_part


# ---- inserting drafts without overwriting the clerk's words -------------------------------------
def _kinds(text: str, fid: str) -> set[str]:
    sts, claims = statements(text, fid)
    out = {s.kind for s in sts}
    if claims:
        out.add("received")     # a claim about the applicants belongs to the 依申请公开 sentences
    if _FEE_RE.search(normalise(text)):
        out.add("fee")
    return out


def _draft_kinds(report: Report, key: str, text: str) -> set[str]:
    k = _kinds(text, report.format)
    if key == "other:fee":
        k.add("fee")
    return k


def _fields(report: Report, key: str) -> list[tuple[str, str]]:
    """Text fields where the draft `key` or a paragraph stating the same figures may stand."""
    if key == "other:fee":
        return [("text.other", str(report.text.get("other") or ""))]
    return [(k, t) for k, t in text_items(report) if k.startswith("text.overview.")]


def _set_field(report: Report, text_key: str, value: str) -> None:
    parts = text_key.split(".")
    if parts[1] == "overview":
        report.text["overview"][int(parts[2])]["body"] = value
    else:
        report.text[parts[1]] = value


def _record(report: Report) -> dict:
    rec = report.extra.get("drafted")
    if not isinstance(rec, dict):
        rec = report.extra["drafted"] = {}
    return rec


def _recorded(report: Report, key: str) -> str | None:
    rec = report.extra.get("drafted")
    v = rec.get(key) if isinstance(rec, dict) else None
    return v if isinstance(v, str) else None


def _home_part(report: Report, key: str) -> int:
    """Index of the overview sub-part the draft belongs to, created (titled with the topic) when missing."""
    topics = _topics()
    topic = topics[0] if key == f"overview:{topics[0]}" else topics[1]
    i = topic_part(report, topic)
    if i is not None:
        return i
    ov = report.text.setdefault("overview", [])
    order = load_format(report.format).section("overview").topics
    at = len(ov)
    if topic in order:      # keep the format's order of topics
        later = order[order.index(topic) + 1:]
        for j, part in enumerate(ov):
            if any(topic_matches(t, str(part.get("title") or "")) for t in later):
                at = j
                break
    ov.insert(at, {"title": topic, "body": ""})
    carried = report.extra.get("carried_text")
    if isinstance(carried, list):     # keys of carried sub-parts follow their part
        def moved(k):
            if isinstance(k, str) and k.startswith("overview.") and k[9:].isdigit() and int(k[9:]) >= at:
                return f"overview.{int(k[9:]) + 1}"
            return k
        report.extra["carried_text"] = [moved(k) for k in carried]
    return at


def _find_para(fields, text: str):
    for k, t in fields:
        ps = paragraphs(t)
        if text in ps:
            return k, ps.index(text)
    return None


def _conflict(report: Report, key: str, new: str):
    """(text key, paragraph index, paragraph) that inserting `new` would replace, or None."""
    fields = _fields(report, key)
    old = _recorded(report, key)
    if old and _find_para(fields, old):
        return None                                # our own unchanged draft: updated in place
    if _find_para(fields, new):
        return None
    kinds = _draft_kinds(report, key, new)
    best = None
    for k, t in fields:
        for i, p in enumerate(paragraphs(t)):
            if not p.strip():
                continue
            score = similarity(old, p) if old else 0.0
            if kinds & _kinds(p, report.format):
                score = max(score, 0.5)
            if score >= 0.5 and (best is None or score > best[0]):
                best = (score, k, i, p)
    if best is None and key == "other:fee" and normalise(report.text.get("other") or "").strip("。."):
        p = str(report.text.get("other") or "")
        if _body_len(p) <= 12:       # 无 / 无。/ 无其他需要报告的事项。: a placeholder the fee sentence would replace
            best = (0.5, "text.other", 0, paragraphs(p)[0])
    return best[1:] if best else None


def draft_conflict(report: Report, key: str) -> str | None:
    """The clerk's paragraph that inserting draft `key` would replace (ask before calling insert_draft with
    force=True), or None when the draft can go in without touching the clerk's words. DraftError as draft()."""
    c = _conflict(report, key, draft(report, key))
    return c[2] if c else None


def insert_draft(report: Report, key: str, force: bool = False) -> bool:
    """Put the drafted paragraph `key` into its text field; True when the text now holds the current draft.

    The last inserted draft is recorded in report.extra['drafted'][key]: while that paragraph stands unchanged it
    is updated in place. A paragraph the clerk wrote or edited that states the same figures is never replaced
    unless `force` (returns False, nothing changed: ask with draft_conflict first). Raises DraftError when a
    figure the draft states is blank."""
    new = draft(report, key)
    fields = _fields(report, key)
    old = _recorded(report, key)
    hit = _find_para(fields, old) if old else None
    if hit is None:
        hit = _find_para(fields, new)
    if hit is None:
        c = _conflict(report, key, new)
        if c is not None:
            if not force:
                return False
            hit = c[:2]
    if hit is not None:
        k, i = hit
        text = dict(text_items(report))[k]
        ps = paragraphs(text)
        ps[i] = new
        _set_field(report, k, "\n".join(ps))
    else:
        if key == "other:fee":
            k = "text.other"
        else:
            k = f"text.overview.{_home_part(report, key)}"
        text = dict(text_items(report))[k]
        topics = _topics()
        ps = [p for p in paragraphs(text)] if text.strip() else []
        if key == f"overview:{topics[1]}":
            # the 依申请公开 sentences go before a drafted 复议/诉讼 sentence already there
            appeals = _recorded(report, "appeals")
            at = ps.index(appeals) if appeals in ps else len(ps)
            ps.insert(at, new)
        else:
            ps.append(new)
        _set_field(report, k, "\n".join(ps))
    _record(report)[key] = new
    return True


def draft_status(report: Report, key: str) -> str:
    """'absent' (never inserted or deleted), 'current', 'stale' (inserted, unchanged, figures changed since),
    'edited' (the clerk changed the drafted paragraph), or 'unavailable' (a figure is blank)."""
    try:
        new = draft(report, key)
    except DraftError:
        return "unavailable"
    fields = _fields(report, key)
    old = _recorded(report, key)
    if _find_para(fields, new):
        return "current"
    if old and _find_para(fields, old):
        return "stale"
    if old and _conflict(report, key, new):
        return "edited"
    return "absent"


def refresh_drafts(report: Report) -> list[str]:
    """Update every inserted draft still unchanged in the text to the current figures; returns the keys updated.
    Call after the figures change (edited drafts are left alone)."""
    rec = report.extra.get("drafted")
    if not isinstance(rec, dict):
        return []
    done = []
    for key in list(rec):
        if key not in draft_keys(report.format):
            continue
        if draft_status(report, key) == "stale":
            insert_draft(report, key)
            done.append(key)
    return done


