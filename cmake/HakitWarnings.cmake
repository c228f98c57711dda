# Warnings as an interface target every hakit target links, so one place sets them.
add_library(hakit_warnings INTERFACE)
add_library(hakit::warnings ALIAS hakit_warnings)
target_compile_options(hakit_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(HAKIT_WARNINGS_AS_ERRORS)
  target_compile_options(hakit_warnings INTERFACE -Werror)
endif()
