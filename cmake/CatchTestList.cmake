# Run after each Catch2 test executable is built: lists its test cases and writes OUTPUT, a ctest include
# file with one ctest test per case, labelled with LABELS (comma-separated) and, for cases tagged [slow],
# also "slow" (the sanitizer run skips those with `ctest -LE slow`).
#   cmake -DEXECUTABLE=path -DPREFIX=name: -DLABELS=a,b -DOUTPUT=file -P CatchTestList.cmake
cmake_minimum_required(VERSION 3.25)  # the policies of the project: IN_LIST, empty list elements kept
function(list_cases filter out)
  execute_process(COMMAND "${EXECUTABLE}" ${filter} --list-test-names-only
                  OUTPUT_VARIABLE listing RESULT_VARIABLE result)
  # Catch exits with the number of cases it listed; only a crash is an error.
  if(NOT result MATCHES "^[0-9]+$")
    message(FATAL_ERROR "listing the test cases of ${EXECUTABLE} failed: ${result}")
  endif()
  string(REPLACE "\n" ";" listing "${listing}")
  list(FILTER listing EXCLUDE REGEX "^[ \t\r]*$")
  set(${out} "${listing}" PARENT_SCOPE)
endfunction()

list_cases("" cases)
list_cases("[slow]" slow_cases)
string(REPLACE "," ";" labels "${LABELS}")
set(script "")
foreach(case IN LISTS cases)
  # Catch reads a test name on its command line as a test spec: escape the characters specs give meaning to.
  set(spec "${case}")
  foreach(char , [ ])
    string(REPLACE "${char}" "\\${char}" spec "${spec}")
  endforeach()
  set(case_labels "${labels}")
  if("${case}" IN_LIST slow_cases)
    list(APPEND case_labels slow)
  endif()
  string(APPEND script "add_test([==[${PREFIX}${case}]==] [==[${EXECUTABLE}]==] [==[${spec}]==])\n"
                       "set_tests_properties([==[${PREFIX}${case}]==] PROPERTIES LABELS [==[${case_labels}]==])\n")
endforeach()
file(WRITE "${OUTPUT}" "${script}")
