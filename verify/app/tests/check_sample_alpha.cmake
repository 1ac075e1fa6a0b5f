# `ldaformer sample` read back by `ldaformer assumptions --topics`: the Dirichlet alpha estimated from the
# corpus is within [ALPHA_LOW, ALPHA_HIGH] (the true alpha +- 10%). -DTOOL -DSCENARIO -DOUT -DALPHA_LOW -DALPHA_HIGH
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
if(DEFINED SET)
  set(extra --set ${SET})
endif()
execute_process(COMMAND ${TOOL} sample --scenario ${SCENARIO} ${extra} --documents 3000 --seed 3 --out ${OUT}/corpus.txt
                        --topics ${OUT}/topics.csv --thetas ${OUT}/thetas.csv
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0" OR NOT out MATCHES "3000 documents")
  message(FATAL_ERROR "sample exited ${code}\n${out}\n${err}")
endif()
file(STRINGS ${OUT}/thetas.csv thetas)
list(LENGTH thetas rows)
if(NOT rows EQUAL 3000)
  message(FATAL_ERROR "thetas.csv has ${rows} rows")
endif()
execute_process(COMMAND ${TOOL} assumptions --corpus ${OUT}/corpus.txt --topics ${OUT}/topics.csv --json
                RESULT_VARIABLE code OUTPUT_VARIABLE json ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "assumptions exited ${code}\n${err}")
endif()
string(JSON alpha GET "${json}" dirichlet alpha)
string(JSON count LENGTH "${alpha}")
math(EXPR last "${count} - 1")
foreach(k RANGE ${last})
  string(JSON a GET "${alpha}" ${k})
  # if() compares numbers as doubles.
  if(NOT (a GREATER_EQUAL ${ALPHA_LOW} AND a LESS_EQUAL ${ALPHA_HIGH}))
    message(FATAL_ERROR "alpha[${k}] = ${a}, outside [${ALPHA_LOW}, ${ALPHA_HIGH}]")
  endif()
endforeach()
message(STATUS "alpha ${alpha} within [${ALPHA_LOW}, ${ALPHA_HIGH}]")
