# `cmake --install`: the libraries (installed by ldaformer_add_library), their headers, the ldaformer
# tool and the CMake package, so that a project's
#   find_package(ldaformer 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE ldaformer::claims)
# gets every include path, compile definition (EIGEN_USE_BLAS, EIGEN_USE_LAPACKE) and dependency.
include(CMakePackageConfigHelpers)
set(LDAFORMER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/ldaformer)

install(TARGETS ldaformer_eigen EXPORT ldaformerTargets)
install(EXPORT ldaformerTargets NAMESPACE ldaformer:: DESTINATION ${LDAFORMER_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/ldaformerConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/ldaformerConfig.cmake
                              INSTALL_DESTINATION ${LDAFORMER_INSTALL_CMAKEDIR})
# 0.x: a new minor version may change the interface.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ldaformerConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ldaformerConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/ldaformerConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/LdaformerLibraryDependencies.cmake
        DESTINATION ${LDAFORMER_INSTALL_CMAKEDIR})
if(TARGET ldaformer)
  install(TARGETS ldaformer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
