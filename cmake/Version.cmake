# The program version and the git commit it was built from, recorded in every output file.
# The version (project()) is fixed at configure time; the commit is re-read on every build by the
# iskabm_git_commit target (cmake/GitCommit.cmake), so a binary built after a commit carries that
# commit without a new configure.
find_package(Git QUIET)
set(ISKABM_GIT_COMMIT_CPP "${PROJECT_BINARY_DIR}/generated/iskabm/git_commit.cpp")
set(SOURCE_DIR "${PROJECT_SOURCE_DIR}")
set(OUTPUT "${ISKABM_GIT_COMMIT_CPP}")
include("${PROJECT_SOURCE_DIR}/cmake/GitCommit.cmake")
unset(SOURCE_DIR)
unset(OUTPUT)
add_custom_target(iskabm_git_commit ALL
  COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${ISKABM_GIT_COMMIT_CPP}
          -DGIT_EXECUTABLE=${GIT_EXECUTABLE} -P "${PROJECT_SOURCE_DIR}/cmake/GitCommit.cmake"
  BYPRODUCTS "${ISKABM_GIT_COMMIT_CPP}"
  COMMENT "Reading the git commit"
  VERBATIM)
configure_file("${PROJECT_SOURCE_DIR}/cmake/build_info.hpp.in"
               "${PROJECT_BINARY_DIR}/generated/iskabm/build_info.hpp" @ONLY)
