# cmake -DFUZZER=exe -DMODE=replay|run -DSEEDS=dir [-DREGRESSIONS=dir] [-DSECONDS=30] -DWORK=dir -P RunFuzzTarget.cmake
# replay: runs FUZZER once on every file of SEEDS and REGRESSIONS (README.md files excepted).
# run:    fuzzes for SECONDS from a copy of SEEDS in WORK/corpus, with a fixed -seed, 2 GB and 10 s per input;
#         the repository is never written (new inputs and crash artifacts go under WORK).
# Either fails when libFuzzer reports a finding (a crash, a sanitizer report, a leak, a timeout, out of memory).
set(limits -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10)
if(MODE STREQUAL "replay")
  set(inputs)
  foreach(dir ${SEEDS} ${REGRESSIONS})
    file(GLOB_RECURSE found LIST_DIRECTORIES false ${dir}/*)
    foreach(f ${found})
      get_filename_component(n ${f} NAME)
      if(NOT n STREQUAL "README.md")
        list(APPEND inputs ${f})
      endif()
    endforeach()
  endforeach()
  list(LENGTH inputs count)
  if(count EQUAL 0)
    message(FATAL_ERROR "no inputs in ${SEEDS}")
  endif()
  message(STATUS "replaying ${count} inputs")
  file(MAKE_DIRECTORY ${WORK})
  # With files (not directories) as arguments libFuzzer runs each once and writes nothing.
  execute_process(COMMAND ${FUZZER} ${limits} ${inputs} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
elseif(MODE STREQUAL "run")
  if(NOT SECONDS)
    set(SECONDS 30)
  endif()
  file(REMOVE_RECURSE ${WORK}/corpus ${WORK}/artifacts)
  file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/artifacts)
  file(GLOB seeds LIST_DIRECTORIES false ${SEEDS}/*)
  file(COPY ${seeds} DESTINATION ${WORK}/corpus)
  execute_process(COMMAND ${FUZZER} ${limits} -max_total_time=${SECONDS} -seed=1 -print_final_stats=1
                          -artifact_prefix=${WORK}/artifacts/ ${WORK}/corpus
                  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
else()
  message(FATAL_ERROR "MODE must be replay or run, got '${MODE}'")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} (${MODE}) failed with '${rc}': a finding (the input is named above)")
endif()
