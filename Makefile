# elevlos — `make` builds build/elevlos; `make run` serves a demo; `make check` runs every test.
VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
SAN      ?= 0
PORT     ?= 8080
RUN_AS   ?= nobody

PKGS     := libmicrohttpd jansson libsodium sqlite3 xlsxwriter cairo pangocairo fontconfig liboath libqrencode libseccomp
CC       ?= cc
CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -D_GNU_SOURCE \
               -DELEVLOS_VERSION='"$(VERSION)"' -Isrc -I$(BUILD)/gen
ifeq ($(SAN),1)
CFLAGS_OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS_OPT := -fsanitize=address,undefined
else ifeq ($(SAN),fuzz)
# clang only: the library gets coverage hooks, the harness links libFuzzer's main. clang also
# warns on designated initializers that leave later members zero (form_keys[]), which C allows.
CFLAGS_OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined -Wno-missing-field-initializers
LDFLAGS_OPT := -fsanitize=fuzzer,address,undefined
else
CFLAGS_OPT := -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE -fstack-clash-protection -fcf-protection
LDFLAGS_OPT := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(CFLAGS_BASE) $(CFLAGS_OPT) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS_OPT) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lglpk -lcsv -lpthread -lm

SRC  := $(filter-out src/main.c,$(wildcard src/*/*.c))
OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRC)) $(BUILD)/obj/gen/assets.o $(BUILD)/obj/gen/common_passwords.o
DEP  := $(OBJ:.o=.d) $(BUILD)/obj/main.d
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
# libFuzzer harnesses (docs/fuzzing.md), built with clang into build-fuzz/; FUZZ_NAMES="form json"
# picks some, FUZZ_SECONDS (or FUZZ_RUNS) sets how long `make fuzz` runs each.
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
ASSETS := ds.css=node_modules/@navikt/ds-css/dist/index.min.css:text/css \
          app.css=src/static/app.css:text/css \
          app.js=src/static/app.js:text/javascript \
          favicon.svg=src/static/favicon.svg:image/svg+xml

.PHONY: all deps deps-check run check unit i18n http durability import eval stats browser sanitize valgrind lint \
        security security-deps security-report \
        fuzz fuzz-build fuzz-harnesses fuzz-replay fuzz-merge bench install uninstall clean
all: $(BUILD)/elevlos

$(BUILD)/elevlos: $(BUILD)/obj/main.o $(BUILD)/libelevlos.a
	@echo "  LD $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libelevlos.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/gen/assets.o: $(BUILD)/gen/assets.c
	@mkdir -p $(dir $@)
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/assets.c: $(BUILD)/embed $(wildcard src/static/*) node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ $(ASSETS)

# The 10,000 most common passwords, refused by the password policy: from the npm package zxcvbn.
$(BUILD)/obj/gen/common_passwords.o: $(BUILD)/gen/common_passwords.c
	@mkdir -p $(dir $@)
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/common_passwords.c: tools/gen-common-passwords.mjs node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	node tools/gen-common-passwords.mjs $@ 10000

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libelevlos.a
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libelevlos.a $(LIBS) -lcmocka

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(BUILD)/libelevlos.a
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/fuzz.c $(BUILD)/libelevlos.a $(LIBS)

-include $(DEP)

# ---- the two commands ----

deps:
	@tools/deps.sh run

deps-check:
	@tools/deps.sh check

run: deps
	@$(MAKE) --no-print-directory all
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo
	@$(BUILD)/elevlos demo --db $(BUILD)/demo/demo.db
	@echo "Two-factor login is OFF for this demo (--mfa-roles none), so it can be tried without an"
	@echo "authenticator app; a real server asks veileder, leder and analytiker for codes (docs/operations.md)."
	@echo "Serving http://127.0.0.1:$(PORT)/ — stop with Ctrl-C"
	@# elevlos does not serve as root: as root, the demo's directory goes to RUN_AS and the
	@# server switches to it after binding (docs/operations.md, "Sandboxing").
	@if [ "$$(id -u)" = 0 ]; then chown -R $(RUN_AS): $(BUILD)/demo; set -- --user $(RUN_AS); else set --; fi; \
	  exec $(BUILD)/elevlos serve --db $(BUILD)/demo/demo.db --listen 127.0.0.1:$(PORT) --plain-http --mfa-roles none "$$@"

check: deps-check
	@$(MAKE) --no-print-directory all unit-tests
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory i18n
	@$(MAKE) --no-print-directory http
	@$(MAKE) --no-print-directory security
	@$(MAKE) --no-print-directory durability
	@$(MAKE) --no-print-directory import
	@$(MAKE) --no-print-directory eval
	@$(MAKE) --no-print-directory stats
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory valgrind
	@$(MAKE) --no-print-directory lint
	@echo "make check: all suites passed"

unit-tests: $(UNIT_TESTS)

unit: $(UNIT_TESTS)
	@tests/run-unit.sh $(BUILD)/tests

i18n:
	node --test tests/i18n/

http: all
	ELEVLOS_BIN=$(BUILD)/elevlos node --test --test-concurrency=1 tests/http/

durability: all
	ELEVLOS_BIN=$(BUILD)/elevlos node --test tests/durability/

# The quick checks of docs/security.md: the IDOR matrix, XSS, the small ASVS checks and the report
# generator's own test (about a minute).
security: all
	ELEVLOS_BIN=$(BUILD)/elevlos node --test --test-concurrency=1 tests/security/idor.test.mjs \
	  tests/security/xss.test.mjs tests/security/asvs.test.mjs tests/security/report.test.mjs

security-deps:
	@tools/deps.sh security

# Every check of docs/security.md, then docs/security.md itself: the quick ones, sqlmap, SIGKILL and
# restart KILLS times under wrk, a full disk (needs root for its tmpfs; skipped otherwise) and a
# SOAK_SECONDS mixed-load soak (SOAK_SECONDS=0 keeps the soak figures of an earlier run; the report
# dates each check). A failed check still gets its figures into the report; the target then fails.
KILLS ?= 100
SOAK_SECONDS ?= 1800
security-report: security-deps all
	@mkdir -p build/security
	@st=0; for t in idor xss asvs sqlmap killrestart diskfull; do rm -f build/security/$$t.json; \
	  ELEVLOS_BIN=$(BUILD)/elevlos KILLS=$(KILLS) node --test --test-concurrency=1 tests/security/$$t.test.mjs || st=1; done; \
	if [ "$(SOAK_SECONDS)" != 0 ]; then rm -f build/security/soak.json; \
	  ELEVLOS_BIN=$(BUILD)/elevlos SOAK_SECONDS=$(SOAK_SECONDS) node --test tests/security/soak.test.mjs || st=1; fi; \
	node tests/security/report.mjs || st=1; exit $$st

# 100,000 generated cases through import and export (IMPORT_CASES=… for fewer).
import: all
	ELEVLOS_BIN=$(BUILD)/elevlos node --test tests/import/

# The evaluation's imports (schools, Udir dropout figures) and the demo's synthetic figures.
eval: all
	ELEVLOS_BIN=$(BUILD)/elevlos node --test tests/eval/

# Statistics: exports (CSV, XLSX through LibreOffice, PDF through pdftoppm) and the trial's figures.
stats: all
	ELEVLOS_BIN=$(BUILD)/elevlos node --test --test-concurrency=1 tests/stats/

# One file at a time, zz-routes.test.mjs last: it reads the pages the journeys visited.
browser: all
	@mkdir -p tests/artifacts/browser && rm -f tests/artifacts/browser/visited.jsonl
	ELEVLOS_BIN=$(BUILD)/elevlos node --test --test-concurrency=1 tests/browser/*.test.mjs

# The unit and HTTP suites again, built with AddressSanitizer and UBSan.
sanitize:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 all unit-tests
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 unit
	ELEVLOS_BIN=build-asan/elevlos ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 node --test --test-concurrency=1 tests/http/

# The fuzz harnesses: clang's libFuzzer with ASan and UBSan, the library built apart in build-fuzz/.
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build-fuzz SAN=fuzz CC=$(FUZZ_CC) fuzz-harnesses

fuzz-harnesses: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
	@:

# Each harness once over its corpus in tests/fuzz/corpus/NAME: the regression inputs of make check.
fuzz-replay: fuzz-build
	@tests/fuzz/run.sh replay build-fuzz $(FUZZ_NAMES)

# Each harness FUZZ_SECONDS (or FUZZ_RUNS inputs); new inputs go to build-fuzz/work/NAME, findings
# to build-fuzz/findings/NAME. `make fuzz-merge` then adds the inputs that reach new code to the tree.
fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) tests/fuzz/run.sh fuzz build-fuzz $(FUZZ_NAMES)

fuzz-merge: fuzz-build
	@tests/fuzz/run.sh merge build-fuzz $(FUZZ_NAMES)

# The HTTP suite with the server under valgrind: no errors, no leaks. valgrind does not pass the
# seccomp(2) and Landlock calls through (ENOSYS), so the sandbox cannot be applied under it:
# sandbox=off here (root is still dropped to nobody); the other suites run with it on.
# --vgdb=no: its pipes in /tmp, made as root, could not be removed after the drop.
valgrind: all
	ELEVLOS_BIN=$(BUILD)/elevlos ELEVLOS_SANDBOX=off ELEVLOS_WRAP="valgrind --quiet --vgdb=no --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" \
	  node --test --test-concurrency=1 tests/http/

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
	  --suppress=missingIncludeSystem -Isrc src
	clang-tidy --quiet $(SRC) src/main.c -- $(CFLAGS_BASE) $(PKG_CFLAGS)

# The HTTP benchmark, then a national statistics release against the sqlite3 shell
# (bench/release.sh: makes and keeps build/bench/national.db, 200,000 students, once).
bench: all $(BUILD)/libelevlos.a
	ELEVLOS_BIN=$(BUILD)/elevlos node bench/http.mjs
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $(BUILD)/bench-phases bench/phases.c $(BUILD)/libelevlos.a $(LIBS)
	BENCH_PHASES=$(BUILD)/bench-phases sh bench/release.sh $(BUILD)/elevlos
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $(BUILD)/did_bench bench/did_bench.c $(BUILD)/libelevlos.a $(LIBS)
	$(BUILD)/did_bench 430 12 999 5

install: all
	install -D -m 0755 $(BUILD)/elevlos $(DESTDIR)$(PREFIX)/bin/elevlos
	install -D -m 0644 docs/operations.md $(DESTDIR)$(PREFIX)/share/doc/elevlos/operations.md

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/elevlos $(DESTDIR)$(PREFIX)/share/doc/elevlos/operations.md

clean:
	rm -rf build build-asan build-fuzz
