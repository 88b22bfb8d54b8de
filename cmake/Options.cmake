# Every build option of the project, prefixed ISKABM_.
option(ISKABM_BUILD_TESTS "Build the Catch2/CTest test suite" ON)
option(ISKABM_WERROR "Treat compiler warnings as errors (CI)" OFF)
set(ISKABM_SANITIZE "" CACHE STRING "Comma-separated sanitizers for the whole build, e.g. address,undefined")
option(ISKABM_FUZZ "Build the libFuzzer harnesses of fuzz/ (clang only; CTest label fuzz)" OFF)
set(ISKABM_DATA_DIR "${PROJECT_SOURCE_DIR}/data" CACHE PATH
    "Default bundled data directory compiled into the program (overridden by --data or ISKABM_DATA_DIR)")
# MPI (calibration across nodes, `mpirun -np N iskabm calibrate`): ON by default when an MPI C++
# installation is found (Debian: openmpi-bin + libopenmpi-dev); OFF builds a single-process program.
if(NOT DEFINED ISKABM_MPI)
  set(MPI_CXX_SKIP_MPICXX ON CACHE BOOL "Do not link the deprecated MPI C++ bindings")
  find_package(MPI QUIET COMPONENTS CXX)
  if(MPI_CXX_FOUND)
    set(_iskabm_mpi_default ON)
  else()
    set(_iskabm_mpi_default OFF)
  endif()
endif()
option(ISKABM_MPI "Build iskabm with MPI: calibrate across nodes under mpirun (docs/calibration.md)" ${_iskabm_mpi_default})
