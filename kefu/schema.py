"""JSON Schemas for question banks, processes and roles, generated from the Python models.

Editors (VS Code with the YAML extension, PyCharm) use it for autocomplete when a
bank starts with ``# yaml-language-server: $schema=../schemas/quiz-bank-1.schema.json``.
The schema is a convenience for editors; :func:`kefu.bank.model.check_banks` remains the
authority (it also checks answers against options, duplicates across banks …).
"""

from __future__ import annotations

from kefu.bank.model import (
    BANK_FIELDS,
    COMMON_QUESTION_FIELDS,
    FIELDS_BY_TYPE,
    ID_PATTERN,
    KEY_PATTERN,
    MODES,
    QUESTION_TYPES,
    SCHEMA_VERSION,
    SCORING_RULES,
)
from kefu.grading.assignments import FIELDS as ASSIGNMENT_FIELDS
from kefu.grading.assignments import ITEM_FIELDS as ASSIGNMENT_ITEM_FIELDS
from kefu.grading.assignments import SCHEMA_VERSION as ASSIGNMENTS_VERSION
from kefu.org.flows import CORE_REQUIRED, FLOW_FIELDS, MODULES, ROLE_FIELDS, ROLE_KINDS, STEP_FIELDS
from kefu.org.flows import SCHEMA_VERSION as FLOWS_VERSION

SCHEMA_PATH = f"schemas/quiz-bank-{SCHEMA_VERSION}.schema.json"


def _choices(description: str) -> dict:
    return {
        "type": "object", "description": description, "minProperties": 2,
        "propertyNames": {"pattern": KEY_PATTERN.pattern},
        "additionalProperties": {"type": "string", "minLength": 1},
    }


_STRING_LIST = {"type": "array", "items": {"type": "string"}, "minItems": 1}
_PROPERTIES = {
    "id": {"type": "string", "pattern": ID_PATTERN.pattern,
           "description": "题目 id，全站唯一：小写字母、数字、连字符，如 ch-001"},
    "type": {"enum": list(QUESTION_TYPES), "description": "题型"},
    "stem": {"type": "string", "minLength": 1, "description": "题干；填空题用 ____ 标出空位"},
    "explanation": {"type": "string", "minLength": 1, "description": "解析：讲清为什么"},
    "source": {"type": "string", "minLength": 1, "description": "出处，如 《客服管理工具箱》第九章"},
    "points": {"type": "number", "exclusiveMinimum": 0, "default": 1},
    "tags": {"type": "array", "items": {"type": "string"}},
    "options": _choices("选项：{a: …, b: …}"),
    "items": _choices("排序题的各项：{s1: …, s2: …}"),
    "left": _choices("配对题左列"),
    "right": _choices("配对题右列（可多一个干扰项）"),
    "scoring": {"enum": list(SCORING_RULES), "description": "多选题计分规则（覆盖题库默认）"},
    "partial": {"type": "boolean", "description": "排序/配对题按位置或配对给部分分"},
    "process": {"type": "string", "description": "排序题：各项和答案由这个流程（flows/ 中的 id）生成"},
}
_ANSWERS = {
    "single": {"type": "string", "description": "一个选项的键，如 b"},
    "multiple": {**_STRING_LIST, "uniqueItems": True, "description": "选项键的列表，如 [a, c]"},
    "truefalse": {"type": "boolean"},
    "fill": {**_STRING_LIST, "description": "可接受答案的列表"},
    "order": {**_STRING_LIST, "uniqueItems": True, "description": "items 的 id，按正确顺序"},
    "match": {"type": "object", "additionalProperties": {"type": "string"},
              "description": "{左项 id: 右项 id}"},
}
_REQUIRED_BY_TYPE = {
    "single": ["options", "answer"], "multiple": ["options", "answer"], "truefalse": ["answer"],
    "fill": ["answer"], "order": [], "match": ["left", "right", "answer"],
}
# an order question lists its items and answer, or names a process that provides both
_ORDER_SOURCES = {"oneOf": [{"required": ["items", "answer"]}, {"required": ["process"]}]}


def bank_json_schema() -> dict:
    variants = []
    for qtype in QUESTION_TYPES:
        fields = sorted(COMMON_QUESTION_FIELDS | FIELDS_BY_TYPE[qtype])
        props = {f: _PROPERTIES[f] for f in fields if f != "answer"}
        props["type"] = {"const": qtype}
        props["answer"] = _ANSWERS[qtype]
        then = {
            "properties": props,
            "required": ["id", "type", "stem", "explanation", "source", *_REQUIRED_BY_TYPE[qtype]],
            "additionalProperties": False,
        }
        if qtype == "order":
            then |= _ORDER_SOURCES
        variants.append({"if": {"properties": {"type": {"const": qtype}}, "required": ["type"]}, "then": then})
    bank_props = {
        "schema": {"const": SCHEMA_VERSION, "description": "题库格式版本"},
        "id": {"type": "string", "pattern": ID_PATTERN.pattern, "description": "等于文件名"},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "source": {"type": "string"},
        "mode": {"enum": list(MODES), "default": "practice",
                 "description": "practice：页面给反馈；exam：页面不含答案"},
        "pass_mark": {"type": "number", "minimum": 0, "maximum": 100, "default": 80},
        "shuffle": {"type": "boolean", "default": True},
        "draw": {"type": "integer", "minimum": 1, "description": "每位学员抽取的题数"},
        "scoring": {"enum": list(SCORING_RULES), "default": "all_or_nothing"},
        "time_limit": {"type": "integer", "minimum": 1, "description": "建议用时（分钟）"},
        "questions": {
            "type": "array", "minItems": 1,
            "items": {"type": "object", "properties": {"type": _PROPERTIES["type"]},
                      "required": ["id", "type"], "allOf": variants},
        },
    }
    assert set(bank_props) == BANK_FIELDS, "schema and kefu.bank.model.BANK_FIELDS disagree"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"quiz-bank-{SCHEMA_VERSION}.schema.json",
        "title": f"客服培训课程站题库（第 {SCHEMA_VERSION} 版）",
        "type": "object",
        "properties": bank_props,
        "required": ["schema", "id", "title", "questions"],
        "additionalProperties": False,
    }


# ── processes and roles ─────────────────────────────────────────────────────
# Generated from the constants of kefu.org.flows, like the bank schema above; check_flows
# stays the authority (it also checks role ids, next steps, reachability and cycles).

_TEXT = {"type": "string", "minLength": 1}
_TEXTS = {"type": "array", "items": _TEXT}


def _step_schema() -> dict:
    branch = {"type": "object", "properties": {"to": _TEXT, "when": _TEXT},
              "required": ["to"], "additionalProperties": False}
    props = {
        "id": {"type": "string", "pattern": ID_PATTERN.pattern, "description": "步骤 id，流程内唯一"},
        "label": {**_TEXT, "description": "图中显示的短标签（≤ 14 个汉字为宜）"},
        "type": {"enum": ["decision"], "description": "判断节点（菱形）；next 必须是带 when 的分支列表"},
        "role": {**_TEXT, "description": "责任岗位 id（roles/*.yml）"},
        "description": {**_TEXT, "description": "这一步做什么、怎么做"},
        "forms": {**_TEXTS, "description": "用到的表单/记录"},
        "time_limit": {**_TEXT, "description": "时限，如 24 小时内"},
        "next": {"description": "下一步：一个步骤 id，或 [{to, when}] 分支列表；终点不写",
                 "oneOf": [_TEXT, {"type": "array", "items": branch, "minItems": 1}]},
    }
    assert set(props) == STEP_FIELDS, "schema and kefu.org.flows.STEP_FIELDS disagree"
    return {"type": "object", "properties": props, "required": ["id", "label", "role", "description"],
            "additionalProperties": False}


def flow_json_schema() -> dict:
    props = {
        "schema": {"const": FLOWS_VERSION, "description": "流程格式版本"},
        "id": {"type": "string", "pattern": ID_PATTERN.pattern, "description": "等于文件名"},
        "title": _TEXT,
        "module": {"enum": list(MODULES), "description": "所属课程模块"},
        "purpose": {**_TEXT, "description": "这个流程解决什么问题"},
        "source": {**_TEXT, "description": "出处，如 《客服管理工具箱》第九章"},
        "steps": {"type": "array", "minItems": 2, "items": _step_schema(), "description": "第一步是起点"},
    }
    assert set(props) == FLOW_FIELDS, "schema and kefu.org.flows.FLOW_FIELDS disagree"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"flow-{FLOWS_VERSION}.schema.json",
        "title": f"客服培训课程站流程（第 {FLOWS_VERSION} 版）",
        "type": "object", "properties": props, "required": sorted(FLOW_FIELDS),
        "additionalProperties": False,
    }


def role_json_schema() -> dict:
    pair = {"type": "object", "properties": {"name": _TEXT, "detail": _TEXT},
            "required": ["name", "detail"], "additionalProperties": False}
    kpi = {"type": "object", "properties": {"name": _TEXT, "measure": _TEXT, "target": _TEXT},
           "required": ["name", "measure", "target"], "additionalProperties": False}
    learning = {"type": "object", "additionalProperties": False, "properties": {
        "route": {**_TEXT, "description": "学习路线页（docs/ 下的路径）"},
        "quizzes": {**_TEXTS, "description": "测验 id（quizzes/*.yml）"},
        "topics": {"type": "array", "items": {"enum": list(MODULES)}, "description": "课程模块名"},
    }}
    props = {
        "schema": {"const": FLOWS_VERSION}, "id": {"type": "string", "pattern": ID_PATTERN.pattern},
        "title": _TEXT, "kind": {"enum": list(ROLE_KINDS), "description": "core：有岗位页；other：流程中的其他部门"},
        "reports_to": {"type": ["string", "null"], "description": "直接上级的岗位 id"},
        "summary": _TEXT, "duties": _TEXTS, "qualifications": _TEXTS,
        "permissions": {"type": "array", "items": pair}, "kpis": {"type": "array", "items": kpi},
        "learning": learning, "first_30_days": _TEXTS, "source": _TEXT,
    }
    assert set(props) == ROLE_FIELDS, "schema and kefu.org.flows.ROLE_FIELDS disagree"
    core_required = {"if": {"properties": {"kind": {"const": "core"}}}, "then": {"required": list(CORE_REQUIRED)}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"role-{FLOWS_VERSION}.schema.json",
        "title": f"客服培训课程站岗位（第 {FLOWS_VERSION} 版）",
        "type": "object", "properties": props, "required": ["schema", "id", "title", "kind", "summary"],
        "additionalProperties": False, "allOf": [core_required],
    }


def assignment_json_schema() -> dict:
    item = {"type": "object", "additionalProperties": False, "required": ["quiz", "mode", "due"], "properties": {
        "quiz": {"type": "string", "pattern": ID_PATTERN.pattern, "description": "测验（题库）id，quizzes/ 中的文件名"},
        "mode": {"enum": list(MODES), "description": "practice 练习 / exam 考试，须与题库的 mode 一致"},
        "pass_mark": {"type": "number", "exclusiveMinimum": 0, "maximum": 100,
                      "description": "及格线（%），覆盖题库的"},
        "due": {"type": "string", "format": "date", "description": "截止日期，如 2026-12-15"},
        "draw": {"type": "integer", "minimum": 1, "description": "抽题数，覆盖题库的 draw"},
        "note": {**_TEXT, "description": "给学员的一句说明"},
    }}
    assert set(item["properties"]) == ASSIGNMENT_ITEM_FIELDS, "schema and kefu.grading.assignments disagree"
    props = {
        "schema": {"const": ASSIGNMENTS_VERSION},
        "id": {"type": "string", "pattern": ID_PATTERN.pattern, "description": "任务编号 = 文件名"},
        "cohort": {**_TEXT, "description": "班级名称"},
        "roles": {"type": "array", "items": {"type": "string"}, "description": "适用岗位 id（roles/ 中的核心岗位）"},
        "description": {**_TEXT, "description": "任务说明"},
        "hand_in": {**_TEXT, "description": "怎样交答案文件（邮箱、截止时间等）"},
        "items": {"type": "array", "minItems": 1, "items": item},
    }
    assert set(props) == ASSIGNMENT_FIELDS, "schema and kefu.grading.assignments disagree"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"assignment-{ASSIGNMENTS_VERSION}.schema.json",
        "title": f"客服培训课程站培训任务（第 {ASSIGNMENTS_VERSION} 版）",
        "type": "object", "properties": props, "required": ["schema", "id", "cohort", "hand_in", "items"],
        "additionalProperties": False,
    }


# file under schemas/ → generator; scripts/gen_schema.py writes them all, a test keeps them current
SCHEMAS = {
    SCHEMA_PATH: bank_json_schema,
    f"schemas/flow-{FLOWS_VERSION}.schema.json": flow_json_schema,
    f"schemas/role-{FLOWS_VERSION}.schema.json": role_json_schema,
    f"schemas/assignment-{ASSIGNMENTS_VERSION}.schema.json": assignment_json_schema,
}
