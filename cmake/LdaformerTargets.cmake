# Helpers that give every ldaformer target the same flags and every test the same registration.

function(ldaformer_set_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(LDAFORMER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(LDAFORMER_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# ldaformer_add_test(NAME name SOURCES a.cpp ... LIBS lib ... LABELS module claim ...)
# One Catch2 executable; each TEST_CASE becomes a ctest test carrying LABELS. Test cases tagged [slow]
# also get the ctest label "slow", so the sanitizer build can run `ctest -LE slow`.
function(ldaformer_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} Catch2::Catch2 ldaformer_catch_main)
  ldaformer_set_flags(${ARG_NAME})
  # Catch's discovery script flattens lists: escape the separators so LABELS stays one list value.
  string(REPLACE ";" "\\\\\\\\;" labels "${ARG_LABELS}")
  catch_discover_tests(${ARG_NAME} TEST_SPEC "~[slow]" TEST_PREFIX "${ARG_NAME}:"
                       PROPERTIES LABELS "${labels}")
  catch_discover_tests(${ARG_NAME} TEST_SPEC "[slow]" TEST_PREFIX "${ARG_NAME}:"
                       PROPERTIES LABELS "${labels}\\\\\\\\;slow")
endfunction()
