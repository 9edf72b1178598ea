"""Every file format's JSON Schema, generated from its field table; ``scripts/gen_schema.py`` writes them
to ``schemas/`` and a test keeps the files current. Editors use them for autocomplete
(``# yaml-language-server: $schema=../schemas/quiz-bank-1.schema.json``); the checks in ``kefu``
stay the authority, since they also relate fields and files to each other.
"""

from __future__ import annotations

from collections.abc import Callable

from kefu.bank.format import bank_json_schema
from kefu.company import company_json_schema
from kefu.grading.answers import export_json_schema
from kefu.grading.assignments import assignment_json_schema
from kefu.org.flows import flow_json_schema, role_json_schema
from kefu.org.glossary import glossary_json_schema
from kefu.org.handbooks import handbooks_json_schema
from kefu.org.mockcall import mock_call_json_schema

SCHEMAS: dict[str, Callable[[], dict]] = {
    "schemas/quiz-bank-1.schema.json": bank_json_schema,
    "schemas/flow-1.schema.json": flow_json_schema,
    "schemas/role-1.schema.json": role_json_schema,
    "schemas/assignment-1.schema.json": assignment_json_schema,
    "schemas/glossary-1.schema.json": glossary_json_schema,
    "schemas/handbooks-1.schema.json": handbooks_json_schema,
    "schemas/company-1.schema.json": company_json_schema,
    "schemas/quiz-answers-1.schema.json": export_json_schema,
    "schemas/mock-call-1.schema.json": mock_call_json_schema,
}
