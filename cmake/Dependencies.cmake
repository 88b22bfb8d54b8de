# find_package only, Debian 12 packages only; nothing is downloaded at configure time.
# Package names are listed in tools/debian-packages.txt.
find_package(Boost 1.74 REQUIRED)                      # libboost-random-dev (header-only Boost.Random)
find_package(TBB REQUIRED CONFIG)                      # libtbb-dev
find_package(HDF5 REQUIRED COMPONENTS C HL)            # libhdf5-dev (serial flavour)
find_package(CLI11 REQUIRED CONFIG)                    # libcli11-dev
find_package(tomlplusplus REQUIRED CONFIG)             # libtomlplusplus-dev
find_package(fmt REQUIRED CONFIG)                      # libfmt-dev
find_package(spdlog REQUIRED CONFIG)                   # libspdlog-dev
find_package(nlohmann_json 3 REQUIRED CONFIG)          # nlohmann-json3-dev (GeoJSON check, manifests)

# Random123 (librandom123-dev) is header-only and ships no CMake config.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(Random123::Random123 INTERFACE IMPORTED)
target_include_directories(Random123::Random123 INTERFACE ${RANDOM123_INCLUDE_DIR})

if(ISKABM_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED CONFIG)                # catch2 (v2)
endif()

if(ISKABM_MPI)
  # The plain MPI C API (MPI::MPI_CXX without the deprecated C++ bindings): calibration/mpi_workers.
  set(MPI_CXX_SKIP_MPICXX ON CACHE BOOL "Do not link the deprecated MPI C++ bindings")
  find_package(MPI COMPONENTS CXX)                      # openmpi-bin + libopenmpi-dev
  if(NOT MPI_CXX_FOUND)
    message(FATAL_ERROR "ISKABM_MPI is ON but no MPI C++ installation was found: install openmpi-bin and "
                        "libopenmpi-dev (tools/debian-packages.txt) or configure with -DISKABM_MPI=OFF")
  endif()
endif()
