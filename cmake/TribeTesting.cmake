# tribe_add_test(<name> LABEL <label> SOURCES <files>... [LIBS <targets>...] [ONE_PROCESS])
# A GoogleTest executable linked with LIBS (kernel services, e.g. tribe_config); each test becomes a ctest case with LABEL.
# Labels: unit (in-process, SQLite files, real .so plugins), postgres (a real PostgreSQL server the
# test starts), http (a real server over loopback sockets), cli, sdk-install.
function(tribe_add_test name)
  cmake_parse_arguments(T "ONE_PROCESS" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE TRIBE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TRIBE_BINARY_DIR="${PROJECT_BINARY_DIR}" TRIBE_PLUGIN_DIR="${TRIBE_PLUGIN_OUTPUT_DIR}"
    TRIBE_FIXTURE_PLUGIN_DIR="${PROJECT_BINARY_DIR}/tests/fixture-plugins")
  if(T_ONE_PROCESS)
    # One ctest case for the whole executable, for suites whose fixture is costly to start per
    # case (a PostgreSQL server); gtest still reports every test inside it.
    add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
    set_tests_properties(${name} PROPERTIES LABELS ${T_LABEL})
  else()
    gtest_discover_tests(${name} PROPERTIES LABELS ${T_LABEL} DISCOVERY_TIMEOUT 60
      WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
  endif()
endfunction()
