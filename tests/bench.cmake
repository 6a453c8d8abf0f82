# bench   the benchmark suite at its quick sizes (bench/run --quick): every
#         benchmark built, and every version's output checked, in seconds.
#         No timing is asserted; the full run is bench/run without --quick.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME bench/suite_quick
    COMMAND ${CMAKE_COMMAND} -E env PEL_BUILD_DIR=${CMAKE_BINARY_DIR}
            ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/run --quick
            --out ${CMAKE_BINARY_DIR}/bench-quick)
  # Its runs are short but it compiles every benchmark three ways; running
  # it alone keeps the other tests' timings out of its way and vice versa.
  set_tests_properties(bench/suite_quick PROPERTIES LABELS "bench" TIMEOUT 300
                       RUN_SERIAL TRUE)
endif()
