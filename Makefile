# Entry points. Everything real happens in the Java CLI (java/host); `make help` lists targets.
#   make run   [VARIANT=merged|baseline|seed-v1 | BASE=<variant|debian:PKG[=VER]|PATH> SERIES=<file|dir> | KERNEL=bzImage MODULE=test_hmm.ko [KCONFIG=.config]]
#              [EXCLUDE=glob] [PROFILE=debug|kasan] [CONFIG="CONFIG_X=y"] [THP=always|madvise|never] [SELECT=glob] [CLEAN_BUILD=1]
#              [NO_SNAPSHOT=1: boot every VM cold instead of restoring the kernel's warm snapshot] [CONFIRM=N: reruns per crash/failure]
#              [JOBS=N: VMs at once from one test queue] [SHARD=i/n: this machine's part of the selection; fuzz: seed+i-1]
#              [COVERAGE=1: gcov build of lib/test_hmm.c and the HMM mm files, coverage/index.html; run, fuzz, validate;
#               make coverage DIRS="A B": one report for several runs]
#   make merge DIRS="A B ..." [OUT=dir]   shards' results joined;  make durations FROM=<run dir>   rebalance shards
#   make mutate BASE=merged SERIES=<patch|dir> [SELECT=] [MAX_MUTANTS=20] [MINUTES=60]   mutation score of a series
#   make lava-job [JOB_DIR=dir] | lava-run [JOB_DIR=dir]   (run's kernel options and SELECT): the run as a LAVA job (qemu, no KVM)
#   make lava-results FROM=<lava-run --output-dir> [OUT=dir]   a finished LAVA job's output as results and reports
#   make smoke | fuzz | validate [NO_BISECT=1] | kernel | kernels | clean-kernels   (same kernel options)
#   make test  host unit tests, then real VM integration runs;  make test-all  also the ITs that need cold builds of their own
#   make bench-boot | bench-read | bench-loop [COLD=0] | bench-jobs [MAX_JOBS=N]   benchmarks that print figures
#   make bench-fuzz [SEED=1] [ACTIONS=20000] [ROUNDS=1] [ENGINES=guest,host] [REFERENCE=<checkout>]   fuzz actions/s and verdict digest
#   BACKEND=container  run/smoke/kernel...: build and boot inside the toolchain image (needs Docker)
#   LOG=debug  any target: the host's diagnostic log (commands run, cache decisions, QMP traffic) on stderr
#   make host-packages | jars | clean | help   install what running needs, build the jars, remove them, this text

SHELL := /bin/bash
# Maven without the ANSI escapes Debian's Maven writes into non-terminal logs.
MVN := scripts/mvn

HOST_JAR := java/host/target/hmmtest-host.jar
GUEST_JAR := java/guest/target/hmmtest-guest.jar
JAVA_INPUTS := native/Makefile $(wildcard native/lib/* native/bench/*) pom.xml $(wildcard java/*/pom.xml) $(shell find java -path '*/src/main/*' -type f 2>/dev/null)
# Container backend: BACKEND=container runs the CLI's work inside the toolchain image (README,
# "Container backend"). Testcontainers reads its settings only from the environment.
BACKEND ?= $(or $(HMMTEST_BACKEND),local)
ifeq ($(BACKEND),container)
export TESTCONTAINERS_RYUK_DISABLED := true
export TESTCONTAINERS_HOST_OVERRIDE := localhost
export TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE := hmmtest/toolchain:latest
endif
# LOG=debug: the host's diagnostic log (commands run, cache decisions, QMP traffic) on stderr.
export HMMTEST_LOG := $(or $(LOG),$(HMMTEST_LOG))
HMMTEST := java -Dhmmtest.home=$(CURDIR) -cp "$(HOST_JAR):java/host/target/lib/*" hmmtest.cli.Main --backend $(BACKEND)

# KERNEL= MODULE= [KCONFIG=]: a kernel built elsewhere, booted without building anything.
KERNEL_ARGS := $(if $(KERNEL)$(MODULE),--kernel '$(KERNEL)' --module '$(MODULE)' $(if $(KCONFIG),--kernel-config '$(KCONFIG)'),$(if $(BASE),--base '$(BASE)',--variant $(or $(VARIANT),merged)) $(if $(SERIES),--series '$(SERIES)')) \
               $(if $(CLEAN_BUILD),--clean-build) $(if $(COVERAGE),--coverage) \
               $(foreach e,$(EXCLUDE),--exclude '$(e)') $(foreach p,$(PROFILE),--profile $(p)) \
               $(if $(VERSION),--debian-version '$(VERSION)') $(foreach c,$(CONFIG),--config $(c))
RUN_ARGS := $(KERNEL_ARGS) $(if $(THP),--thp $(THP)) $(if $(SELECT),--select '$(SELECT)') \
            $(if $(ACCEL),--accel $(ACCEL)) $(if $(V),--verbose) $(if $(NO_SNAPSHOT),--no-snapshot) \
            $(if $(CONFIRM),--confirm $(CONFIRM)) $(if $(JOBS),--jobs $(JOBS)) $(if $(SHARD),--shard $(SHARD))

.PHONY: help run smoke validate fuzz merge durations mutate coverage lava-job lava-results lava-run test test-all kernel kernels clean-kernels bench-boot bench-read bench-loop bench-jobs bench-fuzz host-packages jars clean

help:
	@sed -n '2,18p' Makefile | sed 's/^# *//'

host-packages:
	@$(if $(filter container,$(BACKEND)),container/ensure-host-packages,scripts/ensure-host-packages)

# Rebuilt only when a pom or a main source changed; the guest image is keyed by these jars.
$(HOST_JAR) $(GUEST_JAR): $(JAVA_INPUTS)
	$(MVN) -q -B package -DskipTests
	@touch $(HOST_JAR) $(GUEST_JAR)

jars: host-packages $(HOST_JAR)

run: jars
	$(HMMTEST) run $(RUN_ARGS)

# Patch validation for CI: BASE + SERIES, or VARIANTS=a,b,c; reports go to the directory printed at the end.
validate: jars
	$(HMMTEST) validate $(if $(VARIANTS),--variants $(VARIANTS)) $(if $(BASE),--base '$(BASE)') $(if $(SERIES),--series '$(SERIES)') \
	    $(foreach e,$(EXCLUDE),--exclude '$(e)') $(foreach p,$(PROFILE),--profile $(p)) $(if $(CLEAN_BUILD),--clean-build) \
	    $(if $(VERSION),--debian-version '$(VERSION)') $(foreach c,$(CONFIG),--config $(c)) \
	    $(if $(KERNEL),--kernel '$(KERNEL)') $(if $(MODULE),--module '$(MODULE)') $(if $(KCONFIG),--kernel-config '$(KCONFIG)') \
	    $(if $(BASE_KERNEL),--base-kernel '$(BASE_KERNEL)') $(if $(BASE_MODULE),--base-module '$(BASE_MODULE)') \
	    $(if $(BASE_KCONFIG),--base-kernel-config '$(BASE_KCONFIG)') \
	    $(if $(NO_BISECT),--no-bisect) $(if $(NO_SNAPSHOT),--no-snapshot) $(if $(COVERAGE),--coverage) \
	    $(if $(THP),--thp $(THP)) $(if $(SELECT),--select '$(SELECT)') $(if $(ACCEL),--accel $(ACCEL)) $(if $(OUT),--out '$(OUT)') \
	    $(if $(CONFIRM),--confirm $(CONFIRM)) $(if $(JOBS),--jobs $(JOBS)) $(if $(SHARD),--shard $(SHARD))

# Differential testing against the reference model: SEED, and ACTIONS or SECONDS; or REPLAY=<file.actions>
# to replay (and re-shrink) a reproducer's action list. SHRINK_SECONDS: in-guest shrinking per divergence.
fuzz: jars
	$(HMMTEST) fuzz $(KERNEL_ARGS) --seed $(or $(SEED),1) $(if $(ACTIONS),--actions $(ACTIONS)) $(if $(SECONDS),--seconds $(SECONDS)) \
	    $(if $(REPLAY),--replay '$(REPLAY)') $(if $(SHRINK_SECONDS),--shrink-seconds $(SHRINK_SECONDS)) \
	    $(if $(EXPLORE),--explore-hazards) $(if $(ACCEL),--accel $(ACCEL)) $(if $(NO_SNAPSHOT),--no-snapshot) \
	    $(if $(SHRINK_BOOTS),--shrink-boots $(SHRINK_BOOTS)) $(if $(SHRINK_MINUTES),--shrink-minutes $(SHRINK_MINUTES)) \
	    $(if $(SHARD),--shard $(SHARD)) $(if $(filter 1,$(STEER)),--steer) $(if $(NO_COHERENT),--no-coherent) \
	    $(if $(ENGINE),--engine $(ENGINE))

# Shards of one run or validation (SHARD=1/N ... N/N, e.g. a CI matrix) joined into one results directory and its reports.
merge: jars
	$(if $(DIRS),,$(error merge needs DIRS="<shard dir> <shard dir> ..."))
	$(HMMTEST) merge $(foreach d,$(DIRS),'$(d)') $(if $(OUT),--results-dir '$(OUT)')

# One coverage report for several runs on the same coverage kernel (e.g. the suite and a fuzz run): DIRS="A B".
coverage: jars
	$(if $(DIRS),,$(error coverage needs DIRS="<results dir> ..."))
	$(HMMTEST) coverage $(KERNEL_ARGS) $(foreach d,$(DIRS),'$(d)') $(if $(OUT),--results-dir '$(OUT)')

# Mutation score of a series: BASE= SERIES= [SELECT=] [MAX_MUTANTS=20] [MINUTES=60] [FUZZ_SECONDS=20]; survivors first.
mutate: jars
	$(HMMTEST) mutate --base '$(or $(BASE),merged)' $(if $(SERIES),--series '$(SERIES)',$(error mutate needs SERIES=<patch file or directory>)) \
	    $(foreach e,$(EXCLUDE),--exclude '$(e)') $(if $(SELECT),--select '$(SELECT)') $(if $(MAX_MUTANTS),--max-mutants $(MAX_MUTANTS)) \
	    $(if $(MINUTES),--minutes $(MINUTES)) $(if $(FUZZ_SECONDS),--fuzz-seconds $(FUZZ_SECONDS)) $(if $(ACCEL),--accel $(ACCEL)) \
	    $(if $(OUT),--out '$(OUT)')

# Records a finished run's test durations in test-durations.tsv, which shards and the JOBS queue are balanced by.
durations: jars
	$(if $(FROM),,$(error durations needs FROM=<results dir of a run>))
	$(HMMTEST) durations '$(FROM)'

# LAVA (README, "LAVA"): a job that boots what `make run` boots under LAVA's qemu device type without KVM, each
# test a LAVA test case; lava-run runs it with Debian's lava-run here (root) and writes the run's reports from it.
LAVA_ARGS := $(RUN_ARGS) $(if $(JOB_DIR),--job-dir '$(JOB_DIR)')
lava-job: jars
	$(HMMTEST) lava-job $(LAVA_ARGS)

lava-run: jars
	@scripts/ensure-host-packages --lava
	$(HMMTEST) lava-run $(LAVA_ARGS)

lava-results: jars
	$(if $(FROM),,$(error lava-results needs FROM=<the job's lava-run --output-dir>))
	$(HMMTEST) lava-results '$(FROM)' $(if $(OUT),--results-dir '$(OUT)')

# A quick check on a cached kernel: five tests in one VM.
smoke: jars
	$(HMMTEST) smoke $(RUN_ARGS)

kernel: jars
	$(HMMTEST) kernel $(KERNEL_ARGS)

kernels: jars
	@$(HMMTEST) kernels

clean-kernels: jars
	$(HMMTEST) clean-kernels

# A benchmark, not a test: BOOTS cold boots and BOOTS restores from a warm snapshot, alternating; phases side by side.
bench-boot: jars
	$(HMMTEST) bench-boot $(KERNEL_ARGS) --boots $(or $(BOOTS),5)

# A benchmark: the edit-test loop (smoke after a one-line series or in-place edit) beside a cold build. COLD=0 skips the cold one.
bench-loop: jars
	scripts/bench-loop

# A benchmark: the suite (or SELECT) with JOBS=1..MAX_JOBS (default: the cores), wall and VM CPU time side by side.
bench-jobs: jars
	$(HMMTEST) bench-jobs $(RUN_ARGS) $(if $(MAX_JOBS),--max-jobs $(MAX_JOBS))

# A benchmark: the differential engine's actions/s in one VM on a fixed seed and budget, with its verdict digest
# (counts, divergence signatures, action-trace hash); REFERENCE=<another checkout with built jars> runs that engine
# on the same seed, alternating round by round, and compares rates and verdicts.
bench-fuzz: jars
	$(HMMTEST) bench-fuzz $(KERNEL_ARGS) --seed $(or $(SEED),1) $(if $(ACTIONS),--actions $(ACTIONS)) $(if $(ROUNDS),--rounds $(ROUNDS)) \
	    $(if $(REFERENCE),--reference '$(REFERENCE)') $(if $(ENGINES),--engines $(ENGINES)) $(if $(ACCEL),--accel $(ACCEL)) \
	    $(if $(OUT),--results-dir '$(OUT)')

# A benchmark: one-page READ through JNA vs C in the same VM.
bench-read: jars
	$(HMMTEST) bench-read $(KERNEL_ARGS)

# Host unit tests (surefire), then *IT tests that build and boot a real kernel (failsafe).
test: host-packages
	@scripts/ensure-host-packages --tests
	$(MVN) -B verify

# Everything make test runs, plus the ITs that need cold builds of their own (LocalTreeIT's full build).
test-all: host-packages
	@scripts/ensure-host-packages --tests
	$(MVN) -B verify -Dit.excludedGroups=none

clean:
	$(MVN) -q clean
