# harness/fuzz/: libFuzzer targets (clang, ASan + UBSan) for the vmcore
# readers (ELF, kdump-compressed, flattened file, flattened stream), the
# scenario parser, the agent-message parser and the /proc/iomem parser.
# `make fuzz` builds and runs them one after the other (one job: the
# machine is shared), each for TARGET:RUNS[:SECONDS] of FUZZ_PLAN (both
# scaled by FUZZ_SCALE; the time cap keeps a loaded machine's run near an
# hour, the count reached is what is reported): over 13 million in all,
# each reader alone (read-*) 1.5 M; the readers under the whole checker
# (dump-*) are slower per input and get fewer. It prints each target's
# count and the total and keeps them in build/fuzz/summary.txt;
# FUZZ_ONLY="read-stream" reruns one target and keeps the others' lines.
# Their small corpora also run as regression tests in `make test` (replay
# builds with gcc's sanitizers, no libFuzzer needed).

FUZZ_CC     ?= clang
FUZZ_SCALE  ?= 1
FUZZ_PLAN   := read-elf:1500000:420 read-kdump:1500000:420 read-flat:1500000:480 \
               read-stream:1500000:540 dump-elf:300000:240 dump-kdump:300000:240 \
               dump-flat:300000:240 scenario:2500000:180 agentmsg:800000:420 iomem:3000000:180
FUZZ_FLAGS  := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
               -fno-omit-frame-pointer -std=gnu11 -Iharness/include $(PKG_CFLAGS)
FUZZ_TARGETS := read-elf read-kdump read-flat read-stream dump-elf dump-kdump dump-flat scenario agentmsg \
                iomem
FUZZ_BINS   := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
FUZZ_LIB    := $(BUILD)/obj/fuzz/libdumplab.a
FUZZ_REPLAY := $(addprefix $(BUILD)/tests/san/fuzz-,$(FUZZ_TARGETS))

ALL_BINS    += $(FUZZ_REPLAY)
UNIT_TESTS  += $(FUZZ_REPLAY)

# read-X is the reader alone over dump-X's corpus.
# read-stream is the one-pass stream reader over dump-flat's corpus.
fuzz_src     = $(if $(filter dump-% read-%,$(1)),harness/fuzz/fuzz_dump.c,harness/fuzz/fuzz_text.c)
fuzz_def     = $(if $(filter read-stream,$(1)),-DFUZZ_READER -DFUZZ_STREAM,$(if $(filter read-%,$(1)),-DFUZZ_READER,$(if $(filter dump-%,$(1)),,-DFUZZ_$(shell echo $(1) | tr a-z A-Z))))
fuzz_corpus  = harness/fuzz/corpus/$(patsubst read-%,dump-%,$(patsubst read-stream,read-flat,$(1)))

$(BUILD)/obj/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(patsubst %.c,$(BUILD)/obj/fuzz/%.o,$(HLIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%: harness/fuzz/fuzz_dump.c harness/fuzz/fuzz_text.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(call fuzz_def,$*) -o $@ \
	  $(call fuzz_src,$*) $(FUZZ_LIB) $(PKG_LIBS)

$(BUILD)/tests/san/fuzz-%: harness/fuzz/replay.c harness/fuzz/fuzz_dump.c harness/fuzz/fuzz_text.c $(HLIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(H_CFLAGS) $(SAN_FLAGS) -O1 $(call fuzz_def,$*) -DCORPUS_DIR='"$(call fuzz_corpus,$*)"' \
	  -o $@ harness/fuzz/replay.c $(call fuzz_src,$*) $(HLIB_SAN) $(PKG_LIBS)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	@bash harness/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SCALE) $(FUZZ_PLAN)
