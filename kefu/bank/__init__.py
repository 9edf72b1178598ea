"""Question banks: the model, the format, loading and checks; scoring, seeding and item quality."""

from kefu.bank.load import bank_files, check_banks, load_banks
from kefu.bank.model import (
    ID_PATTERN,
    KEY_PATTERN,
    MODE_NAMES,
    MODES,
    QUESTION_TYPES,
    SCHEMA_VERSION,
    SCORING_RULES,
    TYPE_NAMES,
    Bank,
    Question,
)

__all__ = [
    "ID_PATTERN", "KEY_PATTERN", "MODES", "MODE_NAMES", "QUESTION_TYPES", "SCHEMA_VERSION", "SCORING_RULES",
    "TYPE_NAMES", "Bank", "Question", "bank_files", "check_banks", "load_banks",
]
