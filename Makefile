# Two commands a newcomer needs: `make run` (the whole system on local defaults) and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: install run test bench contracts clean

$(UV):
	python3 -m venv .tools && .tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --all-packages --frozen

run: install
	.venv/bin/crm up

test: install
	.venv/bin/pytest

bench: install
	.venv/bin/python bench/event_path.py

# regenerate the committed AsyncAPI document and snapshot newly published event versions
contracts: install
	.venv/bin/python -m contracts.asyncapi
	.venv/bin/python -m contracts.compat --write

clean:
	rm -rf var .venv .tools
