"""客服培训课程站的 Python 核心：题库、术语表、评分与渲染。

Nothing in this package imports mkdocs: the site (through thin macros and hooks)
and the command-line scripts share one model of a question bank.
"""
