# Two commands a newcomer needs: `make run` (the whole system on local defaults) and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
# what mypy checks comes from [tool.mypy] in pyproject.toml; without that section, the contracts package
MYPY_PATHS := $(if $(shell grep -s '^\[tool\.mypy\]' pyproject.toml),,contracts/src)

.PHONY: install run system-deps lint mypy test bench contracts clean

$(UV):
	python3 -m venv .tools && .tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --all-packages --frozen

run: install
	.venv/bin/crm up

# PostgreSQL (trust auth), RabbitMQ, prometheus/promtool, the PostgreSQL client, python3-venv: as root it installs
# and starts what is missing, otherwise it names what is missing and how to install it, before any test runs
system-deps:
	scripts/system-deps.sh

# the checks that keep the code in shape (config in pyproject.toml): every one runs, then any failure fails
lint: install
	@failed=""; \
	for check in "ruff check ." "ruff format --check --output-format concise ." "mypy $(MYPY_PATHS)" "lint-imports --no-cache"; do \
	  echo "== $$check"; .venv/bin/$$check || failed="$$failed, $$check"; \
	done; \
	if [ -n "$$failed" ]; then echo "make lint: failed: $${failed#, }"; exit 1; fi

mypy:
	.venv/bin/mypy $(MYPY_PATHS)

test: system-deps
	$(MAKE) --no-print-directory lint
	.venv/bin/pytest

bench: install
	.venv/bin/python bench/event_path.py

# regenerate the committed AsyncAPI document and snapshot newly published event versions
contracts: install
	.venv/bin/python -m contracts.asyncapi
	.venv/bin/python -m contracts.compat --write

clean:
	rm -rf var .venv .tools
