#!/usr/bin/env bash
# btclint under valgrind memcheck, for tests/cases/run.sh to call in its place
# (the memcheck CTest test): any memory error or definite/indirect leak makes
# the run exit 99, and the case that caused it fails. The real binary comes
# from BTC_MEMCHECK_BTCLINT because run.sh passes btclint's arguments only.
exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect -q "${BTC_MEMCHECK_BTCLINT:?set by tests/CMakeLists.txt}" "$@"
