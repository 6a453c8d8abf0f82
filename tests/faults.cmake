# faults   what the world does to a running program (run_faults.py): a
#          closed stdout or stderr, SIGINT and SIGTERM, a full disk in
#          output and in write_file, out of memory; each at PEL_WORKERS=1
#          and 2, compiled by pelc and run by pel.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND AND TARGET pelc AND TARGET pel)
  set(_cases closed_stdout closed_stderr sigint sigterm full_output write_file)
  # AddressSanitizer's allocator reports a failed allocation itself
  if(NOT PEL_SANITIZE)
    list(APPEND _cases oom)
  endif()
  foreach(_case IN LISTS _cases)
    add_test(NAME faults/${_case}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/run_faults.py
              $<TARGET_FILE:pelc> $<TARGET_FILE:pel> ${_case})
    set_tests_properties(faults/${_case} PROPERTIES LABELS faults TIMEOUT 300)
  endforeach()
endif()

# limits   inputs at the sizes of the limits (run_limits.sh): 10^5 functions,
#          a 10^6-element literal, 10^5 lets through --emit-graph, deep
#          nesting (a clear error), a task tree of 10^7 leaves
if(TARGET pelc AND NOT PEL_SANITIZE) # sizes for the optimised build
  add_test(NAME limits/all COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_limits.sh $<TARGET_FILE:pelc>)
  set_tests_properties(limits/all PROPERTIES LABELS "faults;limits" TIMEOUT 900)
endif()
