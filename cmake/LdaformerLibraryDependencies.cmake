# The dependencies that the ldaformer libraries carry to whoever links them, found the same way by the
# build (cmake/LdaformerDependencies.cmake) and by the installed package (ldaformerConfig.cmake). The
# caller defines `ldaformer_dependency(Package ...)`: find_package(... REQUIRED) in the build,
# find_dependency(...) in the package, so a consumer's QUIET or REQUIRED is passed on.
ldaformer_dependency(Eigen3 3.4 NO_MODULE)
ldaformer_dependency(Boost 1.74)
ldaformer_dependency(Threads)
ldaformer_dependency(yaml-cpp)
ldaformer_dependency(nlohmann_json 3)
ldaformer_dependency(fmt)
ldaformer_dependency(Ceres 2.1)
if(LDAFORMER_WITH_TORCH)
  ldaformer_dependency(Torch)
endif()

# Random123 (header-only, no CMake package of its own).
if(NOT TARGET Random123::Random123)
  find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
  add_library(Random123::Random123 INTERFACE IMPORTED)
  set_target_properties(Random123::Random123 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${RANDOM123_INCLUDE_DIR}")
endif()

# OpenBLAS under Eigen: the libraries are compiled with EIGEN_USE_BLAS and EIGEN_USE_LAPACKE (the target
# ldaformer::eigen carries the definitions, so a consumer cannot leave them out: Eigen's layout would differ).
if(LDAFORMER_USE_OPENBLAS)
  set(BLA_VENDOR OpenBLAS)
  ldaformer_dependency(BLAS)
  ldaformer_dependency(LAPACK)
  if(NOT TARGET LAPACKE::LAPACKE)
    find_path(LAPACKE_INCLUDE_DIR lapacke.h REQUIRED)
    find_library(LAPACKE_LIBRARY lapacke REQUIRED)
    add_library(LAPACKE::LAPACKE UNKNOWN IMPORTED)
    set_target_properties(LAPACKE::LAPACKE PROPERTIES IMPORTED_LOCATION "${LAPACKE_LIBRARY}"
                                                      INTERFACE_INCLUDE_DIRECTORIES "${LAPACKE_INCLUDE_DIR}")
  endif()
endif()
