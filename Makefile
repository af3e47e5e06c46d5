# cdnsim — build, test, bench, install.
# `make run` and `make test` do the whole set-up: missing Debian packages are
# installed (scripts/setup-deps.sh), the program is built, then it runs.

PREFIX   ?= /usr/local
# make MPI=1: sweeps spread over MPI ranks (OpenMPI), in their own build tree
ifeq ($(MPI),1)
BUILD    ?= build/mpi
CC       := mpicc
endif
BUILD    ?= build
PKGS     := gsl libcjson igraph libzstd
CC       ?= cc
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
            -Wpointer-arith -Wformat=2 -Wno-unused-parameter \
            -Wno-format-truncation  # messages are cut to their buffers on purpose
CFLAGS   ?=
CFLAGS   += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -MMD -MP -I. \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ifeq ($(MPI),1)
CFLAGS   += -DCDNSIM_MPI
endif
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

# Every .c under these folders is part of the program; cli/main.c alone holds main().
LIB_SRC  := $(wildcard sim/*.c models/*.c models/*/*.c analysis/*.c cli/*.c)
LIB_SRC  := $(filter-out cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/check_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all deps run test test-unit test-cli test-mpi check-layers sanitize bench install clean
all: $(BUILD)/cdnsim

# Installs missing packages once per build tree; re-run by deleting build/.
$(DEPS_OK):
	@MPI=$(MPI) ./scripts/setup-deps.sh
	@mkdir -p $(BUILD) && touch $@
deps: $(DEPS_OK)

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libcdnsim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/cdnsim: $(BUILD)/cli/main.o $(BUILD)/libcdnsim.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libcdnsim.a
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libcdnsim.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The default scenario: the world CDN when it exists, else the contract's single PoP.
RUN_SCENARIO ?= $(firstword $(wildcard scenarios/world.json) scenarios/single_pop.json)
run: $(BUILD)/cdnsim
	@mkdir -p out
	$(BUILD)/cdnsim run $(RUN_SCENARIO) --out out/result.json
	@$(BUILD)/cdnsim report out/result.json
	@$(BUILD)/cdnsim plot out/result.json --out out/plots
	@$(BUILD)/cdnsim catchments $(RUN_SCENARIO) --out out/catchments.json --map out/plots --quiet 2>/dev/null || true
	@echo "results: out/result.json; plots: out/plots/"

test: check-layers test-unit test-cli sanitize test-mpi

# Every #include points down the layering docs/ARCHITECTURE.md draws.
check-layers:
	@./scripts/check-layers.sh

test-unit: $(BUILD)/cdnsim $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; CK_FORK=yes $$t; done

test-cli: $(BUILD)/cdnsim
	@set -e; for t in tests/cli_*.sh; do echo "== $$t"; CDNSIM=$(BUILD)/cdnsim sh $$t; done

# The unit and command-line tests again under AddressSanitizer + UBSan, in their own tree.
sanitize: | $(DEPS_OK)
	@$(MAKE) --no-print-directory BUILD=build/san \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test-unit test-cli

# The MPI sweep against the serial one, with two ranks (OpenMPI installed on demand).
test-mpi:
	@$(MAKE) --no-print-directory MPI=1 BUILD=build/mpi build/mpi/cdnsim
	@echo "== tests/cli_sweep_mpi.sh"; CDNSIM=build/mpi/cdnsim sh tests/cli_sweep_mpi.sh

bench: $(BUILD)/cdnsim $(BENCH_BIN)
	@./bench/run.sh $(BUILD)

install: $(BUILD)/cdnsim
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/cdnsim $(DESTDIR)$(PREFIX)/bin/cdnsim

clean:
	rm -rf $(BUILD) build/san build/mpi

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
