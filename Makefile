# Developer targets; the everyday commands are in README.md (scripts/test.sh runs the tests).
.PHONY: test fuzz fuzz-long sanitize-thread sanitize-address

test:
	scripts/test.sh

# The readers' fuzzer as CI runs it: 60 s per reader.
fuzz:
	scripts/fuzz.sh --seconds 60

# A longer hunt: 30 minutes per reader, a different seed each time (SEED=…).
fuzz-long:
	scripts/fuzz.sh --seconds 1800 --seed $${SEED:-$$(date +%s)}

# The test suite under ThreadSanitizer and AddressSanitizer, each in its own build folder.
sanitize-thread:
	scripts/sanitize.sh thread

sanitize-address:
	scripts/sanitize.sh address
