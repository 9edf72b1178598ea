"""Rules the quiz pages and the grader must apply identically, defined once.

The page script (``docs/assets/quiz/quiz.js``) receives :func:`page_rules` as data and
implements nothing of its own beyond reading it; a browser test runs both sides on the same
random inputs. Seeded drawing and shuffling are in :mod:`kefu.bank.seeding` (same algorithm).
"""

from __future__ import annotations

import unicodedata

STORAGE_PREFIX = "kq:v1:"  # localStorage: answers of one learner at one quiz (under one assignment)
LEARNER_STORAGE_KEY = STORAGE_PREFIX + "learner"  # who is answering on this browser
VISITS_STORAGE_KEY = "kp:v1:visits"  # pages read, for 我的进度
CHECKS_STORAGE_KEY = "kp:v1:checks"  # tasks a learner ticked on a route page
ASSIGNMENT_STORAGE_KEY = "kp:v1:assignment"  # the 培训任务 last opened: quiz links keep it


def learner_key(learner_id: str) -> str:
    """The identity of a learner id: full-width folded (NFKC), trimmed, upper case (e2002 = Ｅ２００２ = E2002)."""
    return unicodedata.normalize("NFKC", learner_id).strip().upper()


def normalize_fill(text: str) -> str:
    """A fill answer as compared: NFKC (full-width → half-width), lower case, inner spaces collapsed.

    ``str.lower`` and JavaScript's ``toLowerCase`` apply the same Unicode case mapping;
    ``casefold`` would not (ß → ss), so it is not used.
    """
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def storage_key(quiz: str, learner: str, assignment: str | None = None) -> str:
    """``kq:v1:<quiz>[@<assignment>]:<learner key>`` — one learner's answers to one quiz."""
    return f"{STORAGE_PREFIX}{quiz}{'@' + assignment if assignment else ''}:{learner_key(learner)}"


def draw_seed(quiz: str, learner: str, assignment: str | None = None) -> str:
    """The seed of a learner's draw: the same learner gets the same questions under the same assignment."""
    return f"{quiz}{'@' + assignment if assignment else ''}|{learner_key(learner)}|draw"


def arrange_seed(quiz: str, learner: str, question: str) -> str:
    """The seed of one question's option, item and match order for a learner."""
    return f"{quiz}|{learner_key(learner)}|{question}"


def page_rules() -> dict:
    """The rules as data for quiz.js and progress.js (templates filled in the same way as above)."""
    return {
        "storage": {"prefix": STORAGE_PREFIX, "learner": LEARNER_STORAGE_KEY, "visits": VISITS_STORAGE_KEY,
                    "checks": CHECKS_STORAGE_KEY, "assignment": ASSIGNMENT_STORAGE_KEY,
                    "answers": "{prefix}{quiz}{at_assignment}:{learner}"},
        "seeds": {"draw": "{quiz}{at_assignment}|{learner}|draw", "arrange": "{quiz}|{learner}|{question}"},
        "learner_key": {"normalize": "NFKC", "trim": True, "case": "upper"},
        "fill": {"normalize": "NFKC", "case": "lower", "collapse_spaces": True},
    }
