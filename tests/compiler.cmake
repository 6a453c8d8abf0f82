# Unit tests of the checker and the task-graph builder.
if(TARGET pelir)
  pel_unit_test(test_check SOURCES unit/test_check.c LIBS pelfront LABELS compiler)
  pel_unit_test(test_graph SOURCES unit/test_graph.c LIBS pelir LABELS compiler)
endif()
