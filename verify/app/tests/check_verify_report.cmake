# cmake -DTOOL=path/to/ldaformer -DSCENARIO=file.yaml -DOUT=dir -DVERSION=x.y.z -P check_verify_report.cmake
# Runs `ldaformer verify --claims T2 --out OUT` and checks what a user reads: no table line wider than 120
# characters, report.json with the program version, the resolved scenario, the verify options and the
# seed, and claims.csv with its columns.
execute_process(COMMAND ${TOOL} verify --scenario ${SCENARIO} --claims T2 --out ${OUT}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "verify exited ${code}\nstdout: ${out}\nstderr: ${err}")
endif()
string(REPLACE "±" "+" narrow "${out}")  # one column, two bytes
string(REPLACE "\n" ";" lines "${narrow}")
foreach(line IN LISTS lines)
  string(LENGTH "${line}" width)
  if(width GREATER 120)
    message(FATAL_ERROR "a table line is ${width} characters wide: '${line}'")
  endif()
endforeach()
if(NOT err MATCHES "verify: T2 \\.\\.\\..*verify: T2 done in [0-9.]+ s")
  message(FATAL_ERROR "no progress on stderr: ${err}")
endif()

file(READ ${OUT}/report.json report)
foreach(pattern
    "\"program\": {[^}]*\"version\": \"${VERSION}\""
    "\"seed\": 1,"
    "\"scenario\": {.*\"masking\": {.*\"replacement\": \"all_tokens\""
    "\"prior\": {[^}]*\"alpha\": \\[[^]]*0\\.5"
    "\"verify\": {.*\"d_eps\": \\["
    "\"status\": \"holds\""
    "\"reason_text\": \"\"")
  if(NOT report MATCHES "${pattern}")
    message(FATAL_ERROR "report.json does not match '${pattern}'")
  endif()
endforeach()

file(STRINGS ${OUT}/claims.csv csv)
list(GET csv 0 program)
if(NOT program STREQUAL "# program: ldaformer ${VERSION}")
  message(FATAL_ERROR "claims.csv starts with '${program}'")
endif()
list(FILTER csv EXCLUDE REGEX "^#")
list(GET csv 0 header)
if(NOT header STREQUAL "id,claim,status,reason,margin,standard_error,seconds")
  message(FATAL_ERROR "claims.csv columns are '${header}'")
endif()
list(GET csv 1 first)
if(NOT first MATCHES "^T2,T2,holds,,[0-9.e-]+,,[0-9.e-]+$")
  message(FATAL_ERROR "claims.csv first row is '${first}'")
endif()
