# The directory probe (rule GRP005 facts) and its tests against a real slapd.
# Included from the top-level CMakeLists.txt, which has already set C11,
# warnings, include_directories(include src), PkgConfig and enable_testing().

pkg_check_modules(LDAP REQUIRED IMPORTED_TARGET ldap lber)

add_library(btclint_directory STATIC ${CMAKE_CURRENT_LIST_DIR}/ldap.c)
target_link_libraries(btclint_directory PUBLIC PkgConfig::LDAP)

if(BUILD_TESTING)
  # A second pkg_check_modules(CMOCKA) elsewhere would redefine the target.
  if(NOT TARGET PkgConfig::CMOCKA)
    pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
  endif()
  find_program(BTC_SLAPD slapd PATHS /usr/sbin /usr/local/sbin REQUIRED)
  find_program(BTC_SLAPADD slapadd PATHS /usr/sbin /usr/local/sbin REQUIRED)
  find_program(BTC_OPENSSL openssl REQUIRED)

  set(_btc_ldap_fixture ${CMAKE_CURRENT_LIST_DIR}/../../tests/ldap)
  add_executable(test_directory
    ${CMAKE_CURRENT_LIST_DIR}/../../tests/unit/test_directory.c
    ${_btc_ldap_fixture}/fixture.c)
  target_include_directories(test_directory PRIVATE ${_btc_ldap_fixture})
  target_link_libraries(test_directory PRIVATE btclint_directory PkgConfig::CMOCKA
    Threads::Threads)

  # The test gives itself an empty HOME and drops every LDAP* variable
  # before libldap reads them (so does a run by hand); it only needs to
  # know where the fixture files and the server programs are.
  set(_btc_ldap_env
    BTC_LDAP_FIXTURE=${_btc_ldap_fixture}
    BTC_SLAPD=${BTC_SLAPD}
    BTC_SLAPADD=${BTC_SLAPADD}
    BTC_OPENSSL=${BTC_OPENSSL})
  add_test(NAME directory COMMAND test_directory)
  # The same binary, with the CA given only through LDAPTLS_CACERT.
  add_test(NAME directory_env_ca COMMAND test_directory --env-ca)
  set_tests_properties(directory directory_env_ca PROPERTIES
    ENVIRONMENT "${_btc_ldap_env}"
    TIMEOUT 120)

  # `btclint check --ldap` end to end: the built binary against the same
  # slapd fixture (rule GRP005, exit 3 on every directory failure).
  add_executable(test_cli_directory
    ${CMAKE_CURRENT_LIST_DIR}/../../tests/unit/test_cli_directory.c
    ${_btc_ldap_fixture}/fixture.c)
  target_include_directories(test_cli_directory PRIVATE ${_btc_ldap_fixture})
  target_link_libraries(test_cli_directory PRIVATE PkgConfig::LDAP PkgConfig::CMOCKA PkgConfig::JANSSON)
  add_test(NAME directory_cli COMMAND test_cli_directory)
  set_tests_properties(directory_cli PROPERTIES
    ENVIRONMENT "${_btc_ldap_env};BTC_BTCLINT=$<TARGET_FILE:btclint>"
    TIMEOUT 120)
endif()
