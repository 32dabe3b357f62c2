# nntrace - a step-by-step tracer that teaches backpropagation.
#   make            build ./nntrace (installs missing Debian packages first)
#   make run        build and open the stepper on the built-in seed lesson
#   make test       build and run every test (SANITIZE=1: under ASan+UBSan)
#   make mutants    check that the tests catch every breakage in tests/mutants.sh
#   make bench      benchmarks
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
VERSION  = 0.1.0

WARN     = -Wall -Wextra -Wshadow -pedantic
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 $(WARN) -D_POSIX_C_SOURCE=200809L
ifeq ($(WERROR),1)
CFLAGS  += -Werror
endif
BUILD    = build
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
BUILD    = build-san
endif

# Found through pkg-config only after scripts/deps.sh has run (these are
# expanded when a recipe runs, after the deps target).
CURSES_LIBS = $(shell pkg-config --libs ncursesw)
BLAS_CFLAGS = $(shell pkg-config --cflags openblas)
BLAS_LIBS   = $(shell pkg-config --libs openblas)
LIBS     = -lcsv $(BLAS_LIBS) $(CURSES_LIBS) -lm

LIB_SRC  = $(wildcard src/engine/*.c src/text/*.c src/trace/*.c src/lesson/*.c src/train/*.c src/tui/*.c)
CLI_SRC  = $(wildcard src/cli/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      = $(if $(filter 1,$(SANITIZE)),$(BUILD)/nntrace,nntrace)

.PHONY: all run test mutants bench fuzz install uninstall clean deps deps-test FORCE
all: $(BIN)

deps:
	@sh scripts/deps.sh build
deps-test:
	@sh scripts/deps.sh test

# The installed lessons folder is compiled in; rebuild main.o when PREFIX changes.
$(BUILD)/config.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define NNTRACE_VERSION "%s"\n#define NNTRACE_LESSONS_DIR "%s"\n' \
	    '$(VERSION)' '$(PREFIX)/share/nntrace/lessons' > $@.new
	@cmp -s $@ $@.new && rm -f $@.new || mv $@.new $@

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -I$(BUILD) -c $< -o $@

# The engine's hot loops vectorise at -O3 (make bench: 2.3x the training
# throughput of -O2 on this machine); the results are the same to the bit.
$(BUILD)/src/engine/engine.o: CFLAGS += -O3
# OpenBLAS's own headers (its cblas.h, not the reference BLAS's)
$(BUILD)/src/train/fast.o: CFLAGS += $(BLAS_CFLAGS)

$(BUILD)/src/cli/main.o: $(BUILD)/config.h
$(BUILD)/src/cli/main.o: CFLAGS += -include $(BUILD)/config.h

$(BUILD)/libnntrace.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(BUILD)/libnntrace.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libnntrace.a $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnntrace.a | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libnntrace.a $(LDFLAGS) -lcmocka $(LIBS)

run: $(BIN)
	./$(BIN)

test: deps-test $(BIN) $(UNIT_BIN)
	@NNTRACE=./$(BIN) UNIT_DIR=$(BUILD)/tests SANITIZE=$(SANITIZE) sh tests/run.sh

# every breakage listed in tests/mutants.sh must make a test fail
mutants: $(BIN) $(UNIT_BIN)
	@sh tests/mutants.sh

BENCH_BIN = $(BUILD)/bench/bench_stepper $(BUILD)/bench/bench_train $(BUILD)/bench/bench_train_notrace
$(BUILD)/bench/%: bench/%.c $(BUILD)/libnntrace.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libnntrace.a $(LDFLAGS) $(LIBS)

# the engine built without its instrumentation calls, for the cost of having them
$(BUILD)/bench/bench_train_notrace: bench/bench_train.c src/engine/engine.c $(BUILD)/libnntrace.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O3 -DNN_NO_TRACE -Isrc -o $@ bench/bench_train.c src/engine/engine.c \
	    $(BUILD)/libnntrace.a $(LDFLAGS) $(LIBS)

$(BUILD)/bench/fann_train: bench/fann_train.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $< -ldoublefann -lm

bench: $(BIN) $(BENCH_BIN)
	@sh scripts/deps.sh python3-numpy libopenblas0-pthread libfann-dev time
	@$(MAKE) --no-print-directory $(BUILD)/bench/fann_train
	@BUILD=$(BUILD) sh bench/run.sh

# Fuzzing with libFuzzer (clang): make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = lesson data weights
FUZZ_SRC = $(wildcard src/engine/*.c src/text/*.c src/lesson/*.c)
fuzz:
	@sh scripts/deps.sh clang libclang-rt-14-dev
	@mkdir -p build-fuzz
	@for t in $(FUZZ_TARGETS); do \
	    clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fsanitize=fuzzer,address,undefined \
	        -Isrc -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(FUZZ_SRC) -lcsv -lm || exit 1; \
	done
	@mkdir -p build-fuzz/corpus-lesson build-fuzz/corpus-data build-fuzz/corpus-weights
	@cp lessons/*.lesson tests/bad/*.lesson tests/good/*.lesson build-fuzz/corpus-lesson/
	@cp data/seed.csv data/xor.csv data/iris.csv tests/good/*.csv tests/bad/data-*.csv build-fuzz/corpus-data/
	@cp data/seed-weights.csv tests/bad/weights-*.csv tests/good/seed-weights-crlf.csv build-fuzz/corpus-weights/
	@for t in $(FUZZ_TARGETS); do \
	    echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	    build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 \
	        -artifact_prefix=build-fuzz/crash-$$t- build-fuzz/corpus-$$t 2>&1 | tail -3 || exit 1; \
	done

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/nntrace/lessons \
	    $(DESTDIR)$(PREFIX)/share/nntrace/data $(DESTDIR)$(PREFIX)/share/doc/nntrace \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/nntrace
	for f in lessons/*.lesson; do [ -e "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/nntrace/lessons/; done; true
	for f in data/*.csv; do [ -e "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/nntrace/data/; done; true
	for f in README.md docs/*.md; do [ -e "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/doc/nntrace/; done; true
	[ ! -e docs/nntrace.1 ] || install -m 644 docs/nntrace.1 $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/nntrace $(DESTDIR)$(PREFIX)/share/nntrace \
	    $(DESTDIR)$(PREFIX)/share/doc/nntrace $(DESTDIR)$(PREFIX)/share/man/man1/nntrace.1

clean:
	rm -rf build build-san build-fuzz nntrace

-include $(wildcard $(BUILD)/src/*/*.d)
