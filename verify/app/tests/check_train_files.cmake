# `ldaformer train` writes no CSV of a frozen or all-zero matrix and no .dat copy of a CSV: under uniform
# attention and a one-hot embedding only W_V.csv and trajectory.csv hold numbers. -DTOOL -DSCENARIO -DOUT
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${TOOL} train --scenario ${SCENARIO} --steps 3 --docs 20 --heldout 10 --embedding one_hot
                        --attention uniform --out ${OUT}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "train exited ${code}\n${out}\n${err}")
endif()
file(GLOB csv RELATIVE ${OUT} ${OUT}/*.csv)
list(SORT csv)
if(NOT csv STREQUAL "W_V.csv;trajectory.csv")
  message(FATAL_ERROR "expected only W_V.csv and trajectory.csv, got: ${csv}")
endif()
file(GLOB dat ${OUT}/*.dat)
foreach(file ${dat})
  get_filename_component(stem ${file} NAME_WE)
  if(EXISTS ${OUT}/${stem}.csv)
    message(FATAL_ERROR "${file} duplicates ${stem}.csv")
  endif()
endforeach()
