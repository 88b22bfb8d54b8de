# ISKABM_SANITIZE=address,undefined instruments every target of the build (libraries, program, tests).
if(ISKABM_SANITIZE)
  set(_san "-fsanitize=${ISKABM_SANITIZE}")
  add_compile_options(${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(${_san})
  message(STATUS "iskabm: sanitizers ${ISKABM_SANITIZE}")
endif()
