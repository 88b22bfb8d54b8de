# Every build option of the project, prefixed ISKABM_.
option(ISKABM_BUILD_TESTS "Build the Catch2/CTest test suite" ON)
option(ISKABM_WERROR "Treat compiler warnings as errors (CI)" OFF)
set(ISKABM_SANITIZE "" CACHE STRING "Comma-separated sanitizers for the whole build, e.g. address,undefined")
set(ISKABM_DATA_DIR "${PROJECT_SOURCE_DIR}/data" CACHE PATH
    "Default bundled data directory compiled into the program (overridden by --data or ISKABM_DATA_DIR)")
