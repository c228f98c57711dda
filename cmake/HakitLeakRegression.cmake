# hakit_add_leak_regression(): a ctest that runs `hakit run` on one scenario and
# passes iff its verdict is the expected one, read from the exit code.
#
#   hakit_add_leak_regression(NAME fin_after_handshake
#     SCENARIO fin-after-handshake
#     [EXPECT validated|fix-ineffective|not-reproduced|inconclusive]  # default validated
#     [CONNECTIONS 200] [CONCURRENCY 8] [VARIANTS buggy fixed]
#     [HAKIT <path>]       # default: $<TARGET_FILE:hakit>, else the installed hakit::hakit
#     [ARGS <extra hakit run arguments>...])
#
# The test writes <current binary dir>/<NAME>.json and carries the label
# `regression`. This file doubles as the `cmake -P` script that runs the
# command and compares exit codes, so ctest needs no shell.

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED HAKIT_LEAK_REGRESSION_EXPECT_CODE)
  # Script mode: the command follows "--" on the cmake command line, which
  # keeps arguments with ';' or spaces intact (add_test lists would split them).
  set(_hakit_command "")
  set(_hakit_after_separator FALSE)
  math(EXPR _hakit_last "${CMAKE_ARGC} - 1")
  foreach(_hakit_i RANGE 0 ${_hakit_last})
    if(_hakit_after_separator)
      list(APPEND _hakit_command "${CMAKE_ARGV${_hakit_i}}")
    elseif(CMAKE_ARGV${_hakit_i} STREQUAL "--")
      set(_hakit_after_separator TRUE)
    endif()
  endforeach()
  if(NOT _hakit_command)
    message(FATAL_ERROR "hakit leak regression: no command after '--'")
  endif()
  list(JOIN _hakit_command " " _hakit_shown)
  message(STATUS "running: ${_hakit_shown}")
  execute_process(COMMAND ${_hakit_command} RESULT_VARIABLE _hakit_result)
  if(NOT _hakit_result STREQUAL HAKIT_LEAK_REGRESSION_EXPECT_CODE)
    message(FATAL_ERROR
      "hakit leak regression: expected verdict '${HAKIT_LEAK_REGRESSION_EXPECT}' "
      "(exit code ${HAKIT_LEAK_REGRESSION_EXPECT_CODE}) but hakit ended with '${_hakit_result}'")
  endif()
  message(STATUS "verdict '${HAKIT_LEAK_REGRESSION_EXPECT}' as expected")
  return()
endif()

include_guard(GLOBAL)

# Remember this file's path at include time: function bodies see the caller's
# CMAKE_CURRENT_LIST_FILE.
set(_HAKIT_LEAK_REGRESSION_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

function(hakit_add_leak_regression)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;SCENARIO;EXPECT;CONNECTIONS;CONCURRENCY;HAKIT" "VARIANTS;ARGS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "hakit_add_leak_regression: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_NAME OR NOT arg_SCENARIO)
    message(FATAL_ERROR "hakit_add_leak_regression: NAME and SCENARIO are required")
  endif()
  if(NOT DEFINED arg_EXPECT)
    set(arg_EXPECT validated)
  endif()

  # The verdict codes of runner/exit_codes.hpp.
  set(_codes_validated 0)
  set(_codes_fix-ineffective 1)
  set(_codes_not-reproduced 2)
  set(_codes_inconclusive 3)
  if(NOT DEFINED _codes_${arg_EXPECT})
    message(FATAL_ERROR "hakit_add_leak_regression(${arg_NAME}): EXPECT must be validated, "
      "fix-ineffective, not-reproduced or inconclusive, not '${arg_EXPECT}'")
  endif()

  if(arg_HAKIT)
    set(_hakit "${arg_HAKIT}")
  elseif(TARGET hakit)
    set(_hakit "$<TARGET_FILE:hakit>")
  elseif(TARGET hakit::hakit)
    set(_hakit "$<TARGET_FILE:hakit::hakit>")
  else()
    message(FATAL_ERROR "hakit_add_leak_regression(${arg_NAME}): no hakit program; "
      "build it in this project, find_package(hakit), or pass HAKIT <path>")
  endif()

  set(_command "${_hakit}" run --scenario "${arg_SCENARIO}")
  if(DEFINED arg_CONNECTIONS)
    list(APPEND _command --connections "${arg_CONNECTIONS}")
  endif()
  if(DEFINED arg_CONCURRENCY)
    list(APPEND _command --concurrency "${arg_CONCURRENCY}")
  endif()
  if(arg_VARIANTS)
    list(JOIN arg_VARIANTS "," _variants)
    list(APPEND _command --variants "${_variants}")
  endif()
  list(APPEND _command --out "${CMAKE_CURRENT_BINARY_DIR}/${arg_NAME}.json" ${arg_ARGS})

  add_test(NAME "${arg_NAME}"
    COMMAND "${CMAKE_COMMAND}"
      "-DHAKIT_LEAK_REGRESSION_EXPECT=${arg_EXPECT}"
      "-DHAKIT_LEAK_REGRESSION_EXPECT_CODE=${_codes_${arg_EXPECT}}"
      -P "${_HAKIT_LEAK_REGRESSION_SCRIPT}"
      -- ${_command})
  set_tests_properties("${arg_NAME}" PROPERTIES LABELS regression)
endfunction()
