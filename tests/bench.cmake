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
# bench/run_export.sh with a thousand calls: it builds, and the C driver
# checks every result; no timing is asserted. (It links the runtime with
# plain cc, so not in a sanitizer build.)
if(NOT PEL_SANITIZE)
  add_test(NAME bench/export_quick
    COMMAND ${CMAKE_COMMAND} -E env EXPORT_CALLS=1000 BENCH_ROUNDS=1
            bash ${PROJECT_SOURCE_DIR}/bench/run_export.sh $<TARGET_FILE:pelc> ${CMAKE_BINARY_DIR}/bench-export)
  set_tests_properties(bench/export_quick PROPERTIES LABELS "bench" TIMEOUT 120)
endif()
