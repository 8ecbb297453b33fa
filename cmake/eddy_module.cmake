# eddy_add_module(NAME SRCS a.cc b.cc DEPS eddy::x other)
# One static library per module, eddy::<name>, that sees only the headers of what it links.
# -Wrestrict: GCC 12 reports false positives inside std::string operator+ at -O3 (GCC PR 105329).
set(EDDY_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers -Wno-restrict)

function(eddy_add_module name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(eddy_${name} STATIC ${ARG_SRCS})
  add_library(eddy::${name} ALIAS eddy_${name})
  target_include_directories(eddy_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(eddy_${name} PRIVATE ${EDDY_WARNINGS})
  target_link_libraries(eddy_${name} PUBLIC ${ARG_DEPS})
endfunction()

# eddy_add_test(NAME SRCS ... DEPS ...): one GoogleTest binary per module, registered with ctest.
function(eddy_add_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${EDDY_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30)
endfunction()
