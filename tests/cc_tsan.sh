#!/usr/bin/env bash
# cc_tsan.sh -- the C compiler pelc links with (CC) for the tsan label:
# the program is linked with ThreadSanitizer, against the runtime built
# with it (PEL_RUNTIME_LIB=libpelrt_tsan.a), so every golden program's
# runtime code runs under TSan at PEL_WORKERS=2 (tests/golden.cmake).
exec cc -fsanitize=thread "$@"
