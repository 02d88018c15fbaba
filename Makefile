# Two commands do all set-up:  make run  (the app on GloVe)  and  make test  (every test).
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501
WORKERS ?= $(shell nproc)
# test processes: one more than the cores, as the browser tests spend much of their time waiting
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: run serve test test-all bench shots clean

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

# the reverse proxy in front of `make serve`'s processes
/usr/sbin/haproxy:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq haproxy

# one process (server.py: app.py's pages, GloVe and MiniLM read as the server starts)
run: $(VENV)/.installed
	$(PY) -m streamlit run server.py --server.port=$(PORT)

# WORKERS processes (one per core by default) behind HAProxy at one address
serve: $(VENV)/.installed /usr/sbin/haproxy
	$(PY) -m deploy.serve --workers $(WORKERS) --port $(PORT)

test: $(VENV)/.dev-installed /usr/bin/chromium /usr/sbin/haproxy
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist worksteal

test-all: $(VENV)/.dev-installed /usr/bin/chromium /usr/sbin/haproxy
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist worksteal --runslow

# nginx only for bench/bench_proxy.py, which measures it against HAProxy
/usr/sbin/nginx:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq nginx-light

bench: $(VENV)/.dev-installed /usr/bin/chromium /usr/sbin/haproxy /usr/sbin/nginx
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

shots: $(VENV)/.dev-installed /usr/bin/chromium
	../shared/tools/shoot-pages assets/screens

clean:
	rm -rf $(VENV)
