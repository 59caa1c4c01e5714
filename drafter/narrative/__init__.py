"""The narrative: sentences drafted from the figures, and the checks a county reviewer makes on the text.

- text.py: normalised text, where each text lives (text keys, passage names), topics of 一's sub-parts, similarity;
- reader.py: the statement reader — figures stated in free text, and what the table says for each;
- kinds.py: the narrative's rule kinds (narrative_figures, narrative_applicant, overview_topics, fee_statement,
  same_as_previous, stray_year, intro_format, intro_year, problems_content), registered in drafter.rules;
- drafting.py: sentences drafted from the figures (`drafts`, `draft`);
- bookkeeping.py: drafts put into the texts without overwriting the clerk's words (`insert_draft`,
  `refresh_drafts`, `draft_status`, `draft_conflict`).
"""
from __future__ import annotations

from . import kinds
from .bookkeeping import draft_conflict, draft_status, insert_draft, refresh_drafts
from .drafting import DraftError, draft, draft_active, draft_appeals, draft_fee, draft_keys, draft_requests, drafts, we
from .kinds import stray_years
from .reader import APPEAL_KINDS, REQUEST_KINDS, Claim, Statement, cell_label, cells_of, statements, verb_of
from .text import normalise, paragraphs, section_of, similarity, text_items, topic_matches, topic_part, where_name

__all__ = ["kinds", "draft_conflict", "draft_status", "insert_draft", "refresh_drafts", "DraftError", "draft",
           "draft_active", "draft_appeals", "draft_fee", "draft_keys", "draft_requests", "drafts", "we", "stray_years",
           "APPEAL_KINDS", "REQUEST_KINDS", "Claim", "Statement", "cell_label", "cells_of", "statements", "verb_of",
           "normalise", "paragraphs", "section_of", "similarity", "text_items", "topic_matches", "topic_part",
           "where_name"]
