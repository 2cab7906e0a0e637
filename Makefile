# Rapport: the two commands of the README, and what they need.
#
#   make run    install whatever is missing, build, and open Rapport
#   make test   install whatever is missing, and run every check and test
#   make bench  time the journal core on a generated 1,000,000-touch journal, write BENCHMARKS.md
#
# Both work on a fresh Debian 12+ or Ubuntu 22.04+ machine, as root or with sudo.

SHELL := /bin/bash
.DEFAULT_GOAL := run

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(PATH)

# To build and run the app: the WebKitGTK webview, the tray library, SVG icons, a C compiler,
# and OpenSSL's headers for the cipher SQLCipher encrypts the journal with (libcrypto itself is
# on every Debian and Ubuntu system).
BUILD_PACKAGES := build-essential pkg-config curl file libwebkit2gtk-4.1-dev \
	libayatana-appindicator3-dev librsvg2-dev libssl-dev
# To test it as a user would: a virtual display, WebKit's WebDriver, a private D-Bus session,
# `xwininfo` (x11-utils) to see the window `make run` opens, `kill` (procps) for the tests that
# stop or kill the app, `unshare` (util-linux) for the tests that fill a small disk of their own,
# `fusermount3` (fuse3) so the power-cut tests can mount their disk without root, and a real
# keyring (gnome-keyring) for the tests that keep the journal's key in one.
TEST_PACKAGES := xvfb xauth x11-utils webkit2gtk-driver dbus procps util-linux fuse3 \
	gnome-keyring

.PHONY: run test bench fuzz deps test-deps rust node deno check unit faults e2e icons clean-screenshots

run: deps
	cargo run --release -p rapport-desktop --locked

test: test-deps check unit faults e2e
	@echo "All checks and tests passed."

# Installs only the packages that are missing, so a second run is quick and needs no network.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps: rust
	$(call apt_install,$(BUILD_PACKAGES))

test-deps: deps deno
	$(call apt_install,$(TEST_PACKAGES))
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

# Deno formats and lints the UI's JavaScript with no build step. It comes from the npm registry
# (the `deno` package carries the binary), pinned, into target/ so nothing is installed system-wide.
DENO_VERSION := 2.9.6
DENO := $(CURDIR)/target/tools/node_modules/.bin/deno
export DENO_NO_UPDATE_CHECK := 1

node:
	@if ! command -v npm >/dev/null; then \
		echo "Installing Node.js and npm"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; \
	fi

deno: node
	@[ -x "$(DENO)" ] && "$(DENO)" --version | grep -q "^deno $(DENO_VERSION) " || \
		npm install --prefix target/tools --no-save --no-audit --no-fund --loglevel=error \
			deno@$(DENO_VERSION)

# Rust through rustup when the machine has none; rustfmt and clippy for the checks.
rust:
	@if ! command -v cargo >/dev/null; then \
		echo "Installing Rust with rustup"; \
		curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; \
	fi
	@if command -v rustup >/dev/null; then \
		rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt; \
		rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy; \
	fi

check: deno
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
	"$(DENO)" fmt --check
	"$(DENO)" lint

unit:
	cargo test -p rapport --locked
	cargo test -p rapport-keyring --locked
	cargo test -p rapport-cipher --locked

# The faults a real machine has, on a simulated disk (testkit's `lazy_disk`, over FUSE): power
# cuts at random moments of the write path, a failing fsync, a file system turned read-only.
faults:
	cargo test -p rapport-testkit --locked

# The real app in a real webview on a virtual display, with its own D-Bus session bus (one that
# starts no service on demand: see src-tauri/tests/session-bus.conf).
e2e:
	xvfb-run -a -s "-screen 0 1280x800x24" \
		dbus-run-session --config-file=src-tauri/tests/session-bus.conf -- \
		cargo test -p rapport-desktop --locked

# The core's benchmark: generates the benchmark journal (or reuses the one cached under target/),
# times each operation next to hand-written SQL over the same file, and writes BENCHMARKS.md.
# BENCH_ARGS=--regenerate makes the journal again; BENCH_ARGS=--quick is a small smoke run;
# BENCH_ARGS="--only TEXT" times only the core operations named (for profiling).
# The core on a generated 1,000,000-touch journal, then the whole app on it next to a minimal
# Tauri window (under Xvfb); both write BENCHMARKS.md.
bench: test-deps
	cargo bench -p rapport --bench journal --locked -- $(BENCH_ARGS)
	@if [[ " $(BENCH_ARGS) " != *" --quick "* && " $(BENCH_ARGS) " != *" --only "* ]]; then \
		xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
			cargo bench -p rapport-desktop --features bench --bench app --locked; \
	fi

# Fuzzes each importer and the due-date parser for FUZZ_SECONDS each (nightly and cargo-fuzz).
FUZZ_SECONDS ?= 60
fuzz: rust
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in csv vcard json parse_due; do \
		cargo +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) || exit 1; done

# Regenerates the application icons from icons/icon.svg.
icons:
	for s in 32 64 128; do rsvg-convert -w $$s -h $$s icons/icon.svg -o icons/$${s}x$${s}.png; done
	rsvg-convert -w 256 -h 256 icons/icon.svg -o icons/128x128@2x.png
	rsvg-convert -w 512 -h 512 icons/icon.svg -o icons/icon.png
	convert icons/32x32.png icons/64x64.png icons/128x128.png icons/128x128@2x.png icons/icon.ico
	cp icons/icon.svg ui/img/mark.svg
