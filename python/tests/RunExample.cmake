# Runs examples/python/claim_margin_map.py into a fresh directory OUT and checks that it wrote its PNG.
# Called by ctest with -DPYTHON=... -DSCRIPT=... -DOUT=... (PYTHONPATH comes from the test's environment).
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(
  COMMAND ${PYTHON} ${SCRIPT} --claim T2 --parameter masking.p_m --values 0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4
          --set verify.saa_documents=300 --out ${OUT}/t2-p_m.png
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "claim_margin_map.py exited with ${status}")
endif()
file(SIZE ${OUT}/t2-p_m.png size)
if(size LESS 1000)
  message(FATAL_ERROR "claim_margin_map.py wrote no PNG (${size} bytes)")
endif()
