# Frontend unit tests: lexer, parser, diagnostics (ctest -L frontend).
foreach(t lexer parser diag input_shape)
  pel_unit_test(test_${t}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_${t}.c
    LIBS pelfront
    LABELS frontend)
endforeach()
