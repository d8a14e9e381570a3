# aicredits: build, test and run. Every target needs a JDK >= 25 (production runs java25); the default `java`
# of our machines is 17, so we look for one: $JAVA_HOME first, then the usual install folders.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JDK := $(shell for d in "$$JAVA_HOME" /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do \
	[ -x "$$d/bin/javac" ] || continue; \
	v=$$("$$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'); \
	[ "$${v%%.*}" -ge 25 ] 2>/dev/null && { echo "$$d"; break; }; done)
# Maven 3.8 itself uses sun.misc.Unsafe (Guava); allow it quietly on JDK 25.
MVN := JAVA_HOME="$(JDK)" MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow $$MAVEN_OPTS" mvn -B --no-transfer-progress

FUNCTION_JAR = functions/$(1)/target/$(1)-0.1.0-SNAPSHOT-lambda.jar

.PHONY: help jdk chromium build test test-unit test-integration test-system test-calendar test-localstack bench run dynamodb overview clean clean-local

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

jdk:
	@if [ -z "$(JDK)" ]; then \
		echo "error: no JDK >= 25 found (looked at \$$JAVA_HOME and /usr/lib/jvm/*)." >&2; \
		echo "Install Temurin 25 (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to a JDK 25." >&2; \
		exit 1; \
	fi
	@command -v mvn >/dev/null || { echo "error: Maven (mvn) is not installed; apt-get install maven" >&2; exit 1; }
	@echo "using JDK $(JDK)"

# The browser tests' Chromium and ChromeDriver, Debian's packages; installed once (as root), then a quick check.
chromium:
	@bash local/install-chromium.sh

build: jdk ## build every function's Lambda jar (functions/*/target/*-lambda.jar)
	$(MVN) -q package -DskipTests
	@ls -l functions/*/target/*-lambda.jar

test: jdk chromium ## run the whole suite: the unit, integration and system tiers (about 10 minutes)
	$(MVN) verify

test-unit: jdk ## the unit tier only (*Test): plain Java, no DynamoDB engine, no emulator, no stack
	$(MVN) test

test-integration: jdk ## the integration tier only (*IntegrationTest outside system-tests/): our DynamoDB engine and the SES emulator
	$(MVN) verify -DskipUnitTests -DskipSystemTests

test-system: jdk chromium ## the system tier only (system-tests/): the whole local stack, the page and the emails in Chromium, the README's commands
	$(MVN) verify -DskipUnitTests -DskipIntegrationTests

test-calendar: jdk chromium ## the suite under libfaketime at eight instants (the 1st 00:30 ... 29 February), each about as long as make test; INSTANTS=..., TIERS=...
	@bash local/test-calendar.sh env $(MVN) verify

test-localstack: jdk chromium ## the same suite with LocalStack (Docker, Testcontainers) as the tests' DynamoDB; skipped without Docker
	$(MVN) verify -Daicredits.backend=localstack

bench: jdk ## one table, also target/bench.json: one DynamoDB call on the engine, cost per debit, handler overhead, our CPU per debit, usage reads, cold start, the per-workspace ceiling, the hot workspace (single calls vs the batching client over HTTP, and one organization pool over 20 workspaces; 503s, write units and cost per million runs), jar sizes, the 10,000-workspace reset; PHASES="calls ceiling hot" runs only those (phases: reset calls debit usage handler cpu client cold ceiling hot emf jar); HOT_SECONDS=2 shortens the hot phase's points; HOT_RATES="250 2000" offers runs at those rates instead (an open loop, latency from arrival)
	@echo "[bench] building the modules and the functions' jars (mvn install -DskipTests)"
	@$(MVN) -q install -DskipTests
	@$(MVN) -q -pl bench dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$(CURDIR)/bench/target/classpath.txt"
	@rm -f target/bench-rows.jsonl target/bench.json
	@# JMH uses sun.misc.Unsafe: allowed quietly, or the JVM warns on the console, past the bench's own log file.
	@"$(JDK)/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "bench/target/classes:$$(cat bench/target/classpath.txt)" com.aicredits.bench.Bench $(PHASES)

run: jdk ## start the local stack on http://127.0.0.1:3000 (PORT=... to change); Ctrl-C stops it
	@command -v node >/dev/null || { echo "error: Node.js 20.19+ (or 22.12+) with npm is needed for the SES emulator (nodejs.org, NodeSource or nvm)" >&2; exit 1; }
	@echo "[make run] compiling the local stack and the functions (the first time takes a minute) ..."
	$(MVN) -q -pl local -am compile
	exec "$(JDK)/bin/java" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 \
		-cp "local/target/classes:$$(cat local/target/run-classpath.txt)" com.aicredits.local.DevStack

# Our DynamoDB engine (emulation/dynamodb) alone, in memory: any DynamoDB client or the AWS CLI can use its endpoint.
dynamodb: jdk ## our DynamoDB engine alone, in memory, on http://127.0.0.1:8000 (PORT=... to change); Ctrl-C stops it
	@echo "[make dynamodb] compiling the engine ..."
	$(MVN) -q -pl emulation/dynamodb compile dependency:build-classpath -Dmdep.includeScope=runtime \
		-Dmdep.outputFile="$(CURDIR)/emulation/dynamodb/target/classpath.txt"
	exec env PORT="$(or $(PORT),8000)" "$(JDK)/bin/java" \
		-cp "emulation/dynamodb/target/classes:$$(cat emulation/dynamodb/target/classpath.txt)" com.aicredits.emulation.dynamodb.DynamoDbEngine

overview: jdk ## the overview page's folder ready to deploy as static files: its OIDC client (npm ci) copied into overview/vendor/
	$(MVN) -q -pl local -am compile
	"$(JDK)/bin/java" -cp "local/target/classes:$$(cat local/target/run-classpath.txt)" com.aicredits.local.OverviewVendor

clean-local: ## wipe the local stack's data (.local/: the DynamoDB engine's files, the dev signing key, stream positions)
	rm -rf .local

clean: ## remove build output
	$(MVN) -q clean

# SAM (BuildMethod: makefile) calls build-<LogicalId> through each function's own Makefile, which comes here:
# it runs `make build-<LogicalId>` in the function's CodeUri folder (samconfig.toml: build in source) with
# ARTIFACTS_DIR in the environment, and zips what the target leaves there. A Java Lambda zip puts its jars under lib/.
# Each logical id maps to its module under functions/.
FUNCTION_MODULE_RecordExecutionFunction := record-execution
FUNCTION_MODULE_WorkspaceAdminFunction := workspace-admin
FUNCTION_MODULE_ThresholdEvaluatorFunction := threshold-evaluator
FUNCTION_MODULE_UsageQueryFunction := usage-query
FUNCTION_MODULE_MonthlyResetFunction := monthly-reset
FUNCTION_MODULES := $(foreach id,$(filter FUNCTION_MODULE_%,$(.VARIABLES)),$($(id)))

build-%Function: jdk
	@[ -n "$(FUNCTION_MODULE_$*Function)" ] || { echo "error: no function module for $*Function" >&2; exit 1; }
	@[ -n "$(ARTIFACTS_DIR)" ] || { echo "error: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(call FUNCTION_JAR,$(FUNCTION_MODULE_$*Function))
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(call FUNCTION_JAR,$(FUNCTION_MODULE_$*Function)) "$(ARTIFACTS_DIR)/lib/"

# A function's jar is rebuilt only when a pom or a source it is made from is newer than it: a sam build right after
# make build (or make test, which packages every function) only copies.
define FUNCTION_JAR_RULE
$(call FUNCTION_JAR,$(1)): pom.xml shared/pom.xml functions/$(1)/pom.xml $(shell find shared/src/main functions/$(1)/src/main -type f 2>/dev/null)
	$$(MVN) -q -pl functions/$(1) -am package -DskipTests
	@touch $$@
endef
$(foreach module,$(FUNCTION_MODULES),$(eval $(call FUNCTION_JAR_RULE,$(module))))
