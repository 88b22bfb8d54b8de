# ISKABM_SANITIZE=address,undefined instruments every target of the build (libraries, program, tests).
if(ISKABM_SANITIZE)
  set(_san "-fsanitize=${ISKABM_SANITIZE}")
  add_compile_options(${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(${_san})
  message(STATUS "iskabm: sanitizers ${ISKABM_SANITIZE}")
endif()
if(ISKABM_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 instrumented code gives false -Wmaybe-uninitialized inside libstdc++ (<regex>, used by
  # Catch2 and CLI11); the GCC manual warns that -fsanitize=address can cause spurious warnings.
  add_compile_options(-Wno-maybe-uninitialized)
endif()
# ISKABM_FUZZ=ON (clang): every target gets libFuzzer's coverage instrumentation, and fuzz/ builds
# the harnesses (linked with -fsanitize=fuzzer). Usually together with ISKABM_SANITIZE=address,undefined.
if(ISKABM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ISKABM_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
  message(STATUS "iskabm: libFuzzer harnesses (fuzz/)")
endif()
