# cmake -DCOMMAND="prog;arg;..." -DEXPECT_EXIT=N -DEXPECT_STDERR=regex -DEXPECT_STDOUT=regex -P ExpectCommand.cmake
# Runs COMMAND and fails unless its exit code and output match: lets ctest check both an error's exit
# code and its message (PASS_REGULAR_EXPRESSION alone ignores the exit code).
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
message(STATUS "exit ${code}\nstdout: ${out}\nstderr: ${err}")
if(DEFINED EXPECT_EXIT AND NOT code STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "expected exit code ${EXPECT_EXIT}, got ${code}")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_STDERR}'")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout does not match '${EXPECT_STDOUT}'")
endif()
