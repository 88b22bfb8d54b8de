# iskabm_warnings: an INTERFACE target every project target links to.
add_library(iskabm_warnings INTERFACE)
target_compile_options(iskabm_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${ISKABM_WERROR}>:-Werror>)
