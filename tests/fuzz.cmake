# fuzz     the libFuzzer harnesses of tests/fuzz for a minute in all (12 s
#          each), in a clang-19 build folder of their own (fuzz/ here,
#          configured and built by run_fuzz.sh the first time), after the
#          inputs of tests/fuzz/crashes are replayed. A longer session:
#          tests/run_fuzz.sh SRC BUILDDIR SECONDS (tests/fuzz/README.md).
find_program(PEL_CLANG19 clang-19)
if(PEL_CLANG19)
  add_test(NAME fuzz/smoke
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_fuzz.sh ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fuzz 12)
  set_tests_properties(fuzz/smoke PROPERTIES LABELS fuzz TIMEOUT 900 RUN_SERIAL TRUE)
endif()
