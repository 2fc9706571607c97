# The live SQL probe (FreeTDS db-lib) and its loopback TDS test server.
# Included by the top-level CMakeLists.txt, which has already found
# PkgConfig and Threads, enabled testing and set C11, warnings and
# include_directories(include src).

get_filename_component(BTC_PROBE_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

find_library(BTC_SYBDB_LIBRARY NAMES sybdb REQUIRED)
find_path(BTC_SYBDB_INCLUDE_DIR NAMES sybdb.h REQUIRED)

add_library(btclint_probe STATIC
  ${CMAKE_CURRENT_LIST_DIR}/probe.c
  ${CMAKE_CURRENT_LIST_DIR}/resolve.c
  ${CMAKE_CURRENT_LIST_DIR}/tds.c)
target_include_directories(btclint_probe PRIVATE ${BTC_SYBDB_INCLUDE_DIR})
target_link_libraries(btclint_probe PUBLIC ${BTC_SYBDB_LIBRARY} Threads::Threads)

# libc and pthreads only: the probe's tests must not depend on the code
# they test to talk TDS.
add_executable(btc_tds_server ${BTC_PROBE_ROOT}/tests/tds/tds_server.c)
target_link_libraries(btc_tds_server PRIVATE Threads::Threads)

if(BUILD_TESTING)
  # A second pkg_check_modules(CMOCKA) elsewhere would redefine the target.
  if(NOT TARGET PkgConfig::CMOCKA)
    pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
  endif()
  add_executable(test_probe ${BTC_PROBE_ROOT}/tests/unit/test_probe.c)
  target_link_libraries(test_probe PRIVATE btclint_probe PkgConfig::CMOCKA)
  add_dependencies(test_probe btc_tds_server)
  add_test(NAME probe COMMAND test_probe)
  # 20 silent endpoints and the timeouts take a few seconds each.
  set_tests_properties(probe PROPERTIES
    ENVIRONMENT "BTC_TDS_SERVER=$<TARGET_FILE:btc_tds_server>"
    TIMEOUT 120)
endif()

if(BUILD_TESTING)
  # The PRB rules from hand-built facts: no network.
  add_executable(test_probe_rules ${BTC_PROBE_ROOT}/tests/unit/test_probe_rules.c)
  target_link_libraries(test_probe_rules PRIVATE btclint_core btclint_probe PkgConfig::CMOCKA)
  add_test(NAME unit_probe_rules COMMAND test_probe_rules)
  set_tests_properties(unit_probe_rules PROPERTIES ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout")
endif()

if(BUILD_TESTING)
  # End to end through btclint: check --probe and probe against the test
  # server's personas, the probes block, timings and the password.
  add_test(NAME probe_cli
    COMMAND ${BTC_PROBE_ROOT}/tests/probe_cli.sh $<TARGET_FILE:btclint> $<TARGET_FILE:btc_tds_server>
            ${BTC_PROBE_ROOT} ${BTC_PROBE_ROOT}/../shared ${CMAKE_CURRENT_BINARY_DIR}/probe_cli)
  set_tests_properties(probe_cli PROPERTIES TIMEOUT 120)
endif()
