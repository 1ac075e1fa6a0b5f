# Runs examples/python/claim_margin_map.py into a fresh temporary directory and checks that it wrote its
# PNG. Called by ctest with -DPYTHON=... -DSCRIPT=... (PYTHONPATH comes from the test's environment).
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND mktemp -d --tmpdir ldaformer-margin-map.XXXXXX OUTPUT_VARIABLE out
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
execute_process(
  COMMAND ${PYTHON} ${SCRIPT} --claim T2 --parameter masking.p_m --values 0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4
          --set verify.saa_documents=300 --out ${out}/t2-p_m.png
  RESULT_VARIABLE status)
set(size 0)
if(EXISTS ${out}/t2-p_m.png)
  file(SIZE ${out}/t2-p_m.png size)
endif()
file(REMOVE_RECURSE ${out})
if(NOT status EQUAL 0)
  message(FATAL_ERROR "claim_margin_map.py exited with ${status}")
endif()
if(size LESS 1000)
  message(FATAL_ERROR "claim_margin_map.py wrote no PNG (${size} bytes)")
endif()
