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

# ldaformer_add_library(part SOURCES a.cpp ... [PUBLIC dep ...] [PRIVATE dep ...])
# The static library ldaformer_<part>, also known as ldaformer::<part> (in the build and in the installed
# package), with its public headers in the calling folder's include/ and the project's flags. Installed
# by `cmake --install` with its headers (cmake/LdaformerInstall.cmake).
function(ldaformer_add_library part)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(ldaformer_${part} ${ARG_SOURCES})
  add_library(ldaformer::${part} ALIAS ldaformer_${part})
  set_target_properties(ldaformer_${part} PROPERTIES EXPORT_NAME ${part})
  target_include_directories(ldaformer_${part} PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
                                                      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(ldaformer_${part} PUBLIC cxx_std_17)
  target_link_libraries(ldaformer_${part} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  ldaformer_set_flags(ldaformer_${part})
  install(TARGETS ldaformer_${part} EXPORT ldaformerTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()

# ldaformer_add_test(NAME name SOURCES a.cpp ... LIBS lib ... LABELS module claim ...)
# One Catch2 executable; each TEST_CASE becomes a ctest test carrying LABELS. Test cases tagged [slow]
# also get the ctest label "slow", so the sanitizer build can run `ctest -LE slow`. The cases are listed
# after each build (cmake/CatchTestList.cmake) into a file that ctest includes.
function(ldaformer_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} Catch2::Catch2 ldaformer_catch_main)
  ldaformer_set_flags(${ARG_NAME})
  string(REPLACE ";" "," labels "${ARG_LABELS}")
  set(ctest_file "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_cases.cmake")
  add_custom_command(TARGET ${ARG_NAME} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DEXECUTABLE=$<TARGET_FILE:${ARG_NAME}> -DPREFIX=${ARG_NAME}: -DLABELS=${labels}
            -DOUTPUT=${ctest_file} -P ${PROJECT_SOURCE_DIR}/cmake/CatchTestList.cmake
    VERBATIM)
  # Before the first build there is no list yet: ctest then reports the executable as not built.
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_include.cmake")
  file(WRITE ${include_file}
       "if(EXISTS \"${ctest_file}\")\n  include(\"${ctest_file}\")\nelse()\n"
       "  add_test(${ARG_NAME}_NOT_BUILT ${ARG_NAME}_NOT_BUILT)\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
