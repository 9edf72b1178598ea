"""The question-bank format, declared once: its field tables give the checks, the defaults and
the JSON Schema (``schemas/quiz-bank-1.schema.json``). Rules across fields are in :mod:`kefu.bank.load`.
"""

from __future__ import annotations

from kefu.bank.model import ID_PATTERN, KEY_PATTERN, MODES, QUESTION_TYPES, SCHEMA_VERSION, SCORING_RULES
from kefu.fields import (
    Boolean,
    Choice,
    Const,
    Field,
    Integer,
    Keyed,
    ListOf,
    Number,
    Record,
    Scalar,
    Text,
    document_schema,
)

_ID = Text(ID_PATTERN, noun="小写字母、数字和连字符组成的 id")
_CHOICES = Keyed(KEY_PATTERN, min_items=2)

COMMON = (
    Field("id", _ID, "题目 id，全站唯一：小写字母、数字、连字符，如 ch-001", required=True,
          message="题目 id 只能由小写字母、数字和连字符组成，如 ch-001"),
    Field("type", Choice(QUESTION_TYPES), "题型", required=True,
          message="未知题型 “{value}”：应为 " + " | ".join(QUESTION_TYPES)),
    Field("stem", Text(), "题干；填空题用 ____ 标出空位", required=True, message="题干 stem 为空"),
    Field("explanation", Text(), "解析：为什么对，每个错误选项错在哪里", required=True,
          message="缺少 explanation（解析）：每道题都要有"),
    Field("source", Text(), "出处，如 《客服管理工具箱》第九章", required=True,
          message="缺少 source（出处）：每道题都要有"),
    Field("points", Number(exclusive_minimum=0), "分值", default=1.0),
    Field("tags", ListOf(Text()), "标签；情景题加“情景”", default=()),
)
_ANSWER_MISSING = "缺少 answer（答案）"
_PARTIAL = Field("partial", Boolean(), "排序/配对题按位置或配对给部分分", default=False)

BY_TYPE: dict[str, tuple[Field, ...]] = {
    "single": (
        Field("options", _CHOICES, "选项：{a: …, b: …}", required=True),
        Field("answer", Text(KEY_PATTERN), "一个选项的键，如 b", required=True,
              message="single（单选）题的 answer 应为一个选项的键（如 b），只能有一个答案；"
                      "多个正确选项请用 type: multiple"),
    ),
    "multiple": (
        Field("options", _CHOICES, "选项：{a: …, b: …}", required=True),
        Field("answer", ListOf(Text(KEY_PATTERN), min_items=1, unique=True), "选项键的列表，如 [a, c]",
              required=True, message="multiple（多选）题的 answer 应为不重复的选项键列表，如 [a, c]"),
        Field("scoring", Choice(SCORING_RULES), "多选题计分规则（覆盖题库默认）"),
    ),
    "truefalse": (
        Field("answer", Boolean(), "true 或 false", required=True,
              message="truefalse（判断）题的 answer 只能是 true 或 false（现为 {value!r}）"),
    ),
    "fill": (
        Field("answer", ListOf(Scalar(), min_items=1), "可接受答案的列表", required=True,
              message="fill（填空）题的 answer 应为可接受答案的列表，如 [倾听, 聆听]"),
    ),
    "order": (
        Field("items", _CHOICES, "排序题的各项：{s1: …, s2: …}"),
        Field("answer", ListOf(Text(KEY_PATTERN), min_items=2), "items 的 id，按正确顺序",
              message="order（排序）题的 answer 应把 items 的每个 id 按正确顺序各列一次"),
        _PARTIAL,
        Field("process", _ID, "各项和答案由这个流程（flows/ 中的 id）生成"),
    ),
    "match": (
        Field("left", _CHOICES, "配对题左列", required=True),
        Field("right", _CHOICES, "配对题右列（可多一个干扰项）", required=True),
        Field("answer", Keyed(KEY_PATTERN, min_items=1, value=Text(KEY_PATTERN)), "{左项 id: 右项 id}",
              required=True, message="match（配对）题的 answer 应为映射，如 {l1: r2, l2: r1}"),
        _PARTIAL,
    ),
}
for _fields in BY_TYPE.values():  # the answer's "missing" message is the same for every type
    for _f in _fields:
        assert _f.name != "answer" or _f.message, _f

QUESTIONS: dict[str, Record] = {
    qtype: Record((*COMMON, *fields), noun="“键: 值”的映射（以 - id: … 开头）", item_key="id")
    for qtype, fields in BY_TYPE.items()
}
ALL_QUESTION_FIELDS = {f.name for record in QUESTIONS.values() for f in record.fields}

BANK = Record((
    Field("schema", Const(SCHEMA_VERSION), "题库格式版本", required=True,
          message=f"schema 应为 {SCHEMA_VERSION}（现为 {{value!r}}）：本站只认识第 {SCHEMA_VERSION} 版题库格式"),
    Field("id", _ID, "等于文件名", required=True, message="id 只能由小写字母、数字和连字符组成，如 complaint-handling"),
    Field("title", Text(), "测验标题", required=True, message="缺少 title（测验标题）"),
    Field("description", Text(), "一两句话：考什么、给谁", default=""),
    Field("source", Text(), "整个题库依据的手册章节"),
    Field("mode", Choice(MODES), "practice：页面给反馈；exam：页面不含答案", default="practice",
          message="mode 只能是 practice（练习）或 exam（考试）"),
    Field("pass_mark", Number(0, 100), "及格线（百分比）；不写则用公司资料中练习或考试的及格线"),
    Field("shuffle", Boolean(), "打乱选择题选项", default=True, message="shuffle 只能是 true 或 false"),
    Field("draw", Integer(1), "每位学员抽取的题数"),
    Field("scoring", Choice(SCORING_RULES), "多选题计分规则", default="all_or_nothing",
          message="scoring 只能是 all_or_nothing 或 partial"),
    Field("time_limit", Integer(1), "建议用时（分钟）"),
    # questions: checked one by one in kefu.bank.load, by the record of their type (QUESTIONS)
), noun="“键: 值”的映射（schema、id、title、questions …）")


def bank_json_schema() -> dict:
    variants = []
    for qtype, record in QUESTIONS.items():
        schema = record.schema()
        schema["properties"]["type"] = {"const": qtype}
        if qtype == "order":  # its items and answer are written out, or a process provides both
            schema["oneOf"] = [{"required": ["items", "answer"]}, {"required": ["process"]}]
        variants.append({"if": {"properties": {"type": {"const": qtype}}, "required": ["type"]}, "then": schema})
    schema = BANK.schema()
    schema["properties"]["questions"] = {
        "type": "array", "minItems": 1, "description": "题目列表",
        "items": {"type": "object", "properties": {"type": QUESTIONS["single"].field("type").schema()},
                  "required": ["id", "type"], "allOf": variants},
    }
    schema["required"].append("questions")
    return document_schema(schema, schema_id=f"quiz-bank-{SCHEMA_VERSION}.schema.json",
                           title=f"客服培训课程站题库（第 {SCHEMA_VERSION} 版）")
