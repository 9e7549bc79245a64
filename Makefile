# Two commands do all set-up: `make run` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
QT_LIBS := libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libxkbcommon-x11.so.0 libxcb-cursor.so.0 libxcb-icccm.so.4 \
           libxcb-keysyms.so.1 libfontconfig.so.1 libdbus-1.so.3
QT_DEBS := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
           libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libpulse0 libfontconfig1 \
           libdbus-1-3

.PHONY: run test lint bench lock check-qt clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtual environment: sudo apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	# The speaker encoder's weights (transcription/voice_embedding.py) ship in resemblyzer's wheel; the
	# network runs in numpy, so its dependencies (torch, librosa/numba, webrtcvad: ~1.3 GB and a C build)
	# are skipped. pip cannot say --no-deps for one requirement inside pyproject.toml, hence this line.
	$(PY) -m pip install --quiet --no-deps resemblyzer==0.1.4
	@touch $(STAMP)

check-qt:
	@missing=""; for lib in $(QT_LIBS); do ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Qt needs system libraries that are missing:$$missing"; \
	  echo "Install them with: sudo apt-get install -y $(QT_DEBS)"; exit 1; fi

run: $(STAMP) check-qt
	$(PY) main.py --demo-if-empty

# One worker per core (the tests share nothing: a database file or PostgreSQL schema each); worksteal
# evens out the few long transcription tests.
test: $(STAMP) check-qt
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n auto --dist worksteal

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	for b in bench/*_bench.py; do QT_QPA_PLATFORM=offscreen $(PY) $$b || exit 1; done

# Move every dependency to its newest allowed release and record the exact versions (run the suite after).
lock: $(STAMP)
	$(PY) -m pip install --quiet --upgrade -e '.[test]'
	{ echo "# Exact versions the suite was last run with (make lock refreshes it); make and CI install with -c constraints.txt."; \
	  $(PY) -m pip freeze --exclude-editable | grep -vi '^kalibra'; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
