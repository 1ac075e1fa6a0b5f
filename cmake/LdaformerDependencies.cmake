# Every external dependency, found once. scripts/bootstrap.sh installs them from Debian's packages.
macro(ldaformer_dependency)
  find_package(${ARGV} REQUIRED)
endmacro()
include(${CMAKE_CURRENT_LIST_DIR}/LdaformerLibraryDependencies.cmake)
find_package(CLI11 REQUIRED)

# Eigen with OpenBLAS underneath: large dense products and factorizations go to BLAS/LAPACK. Installed
# with the libraries as ldaformer::eigen (cmake/LdaformerInstall.cmake).
add_library(ldaformer_eigen INTERFACE)
add_library(ldaformer::eigen ALIAS ldaformer_eigen)
set_target_properties(ldaformer_eigen PROPERTIES EXPORT_NAME eigen)
target_link_libraries(ldaformer_eigen INTERFACE Eigen3::Eigen)
if(LDAFORMER_NATIVE)
  # AVX-512 left out: GCC 12 warns (maybe-uninitialized, an error here) inside its own AVX-512 intrinsics that
  # Eigen's reductions use, and on this machine's cores 512-bit vectors run as two 256-bit halves anyway.
  target_compile_options(ldaformer_eigen INTERFACE -march=native -mno-avx512f)
endif()
if(LDAFORMER_USE_OPENBLAS)
  target_compile_definitions(ldaformer_eigen INTERFACE EIGEN_USE_BLAS EIGEN_USE_LAPACKE)
  target_link_libraries(ldaformer_eigen INTERFACE LAPACKE::LAPACKE LAPACK::LAPACK BLAS::BLAS)
endif()

if(LDAFORMER_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
if(LDAFORMER_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

if(LDAFORMER_BUILD_TESTS)
  # Catch2's main, compiled once for every test executable.
  add_library(ldaformer_catch_main STATIC ${CMAKE_CURRENT_LIST_DIR}/catch_main.cpp)
  target_link_libraries(ldaformer_catch_main PUBLIC Catch2::Catch2)
endif()
