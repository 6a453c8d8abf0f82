# Unit tests of the checker and the task-graph builder.
if(TARGET pelir)
  pel_unit_test(test_check SOURCES unit/test_check.c LIBS pelfront LABELS compiler)
  pel_unit_test(test_graph SOURCES unit/test_graph.c LIBS pelir LABELS compiler)
endif()

# pelc's command-line flags, end to end
if(TARGET pelc)
  add_test(NAME tools/pelc_flags
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_pelc_flags.sh $<TARGET_FILE:pelc> ${PROJECT_SOURCE_DIR})
  set_tests_properties(tools/pelc_flags PROPERTIES LABELS "tools" TIMEOUT 300)
  # examples/make-project: make -j2, a no-op make, and rebuilds by depfile
  find_program(PEL_MAKE make)
  if(PEL_MAKE)
    add_test(NAME tools/make_project
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_make_project.sh $<TARGET_FILE:pelc> ${PROJECT_SOURCE_DIR})
    set_tests_properties(tools/make_project PROPERTIES LABELS "tools;modules" TIMEOUT 300)
  endif()
  # warnings: unused lets, -w, -Werror, through pelc, pel and the REPL
  if(TARGET pel)
    add_test(NAME tools/warnings COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_warnings.sh $<TARGET_FILE:pelc> $<TARGET_FILE:pel>)
    set_tests_properties(tools/warnings PROPERTIES LABELS "tools;errors" TIMEOUT 120)
  endif()
  # pelc -g: gdb on .pel lines
  add_test(NAME tools/gdb COMMAND ${CMAKE_COMMAND} -E env
           "PEL_EXTRA_CFLAGS=$<$<BOOL:${PEL_SANITIZE}>:-fsanitize=address,undefined>"
           bash ${CMAKE_CURRENT_SOURCE_DIR}/run_gdb.sh $<TARGET_FILE:pelc>)
  set_tests_properties(tools/gdb PROPERTIES LABELS "tools" TIMEOUT 300)
  # pelc -g: valgrind and perf report .pel lines (valgrind cannot run an
  # AddressSanitizer build)
  if(NOT PEL_SANITIZE)
    add_test(NAME tools/perf_valgrind COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_perf_valgrind.sh $<TARGET_FILE:pelc>)
    set_tests_properties(tools/perf_valgrind PROPERTIES LABELS "tools" TIMEOUT 300)
  endif()
  # cmake --install: the prefix, relocated, pkg-config and the CMake package
  add_test(NAME tools/install COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_install.sh ${CMAKE_BINARY_DIR}
           "$<$<BOOL:${PEL_SANITIZE}>:-fsanitize=address,undefined>")
  set_tests_properties(tools/install PROPERTIES LABELS "tools;modules" TIMEOUT 300)
endif()

# what codegen emits (reference counts, in-place updates, tiles), and
# tiled folds against untiled twins on random programs (30 fixed seeds)
if(TARGET pelc)
  add_test(NAME compiler/codegen_ir
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_codegen_ir.sh $<TARGET_FILE:pelc>)
  set_tests_properties(compiler/codegen_ir PROPERTIES LABELS "compiler" TIMEOUT 120)
  add_test(NAME compiler/tile_diff
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_tile_diff.sh $<TARGET_FILE:pelc> 30)
  set_tests_properties(compiler/tile_diff PROPERTIES LABELS "compiler" TIMEOUT 300)
  # random well-typed programs, six ways (-O0/-O2, pelc/pel, 1/2 workers):
  # the same output and first runtime error. Longer: run_diff.py --minutes
  if(TARGET pel)
    add_test(NAME compiler/diff
      COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/run_diff.py $<TARGET_FILE:pelc> $<TARGET_FILE:pel>
              --count 24 --jobs 1 --keep ${CMAKE_CURRENT_BINARY_DIR}/diff-fail)
    set_tests_properties(compiler/diff PROPERTIES LABELS "compiler;diff" TIMEOUT 300)
  endif()
endif()

# the decisions of the IR, as --emit-graph shows them
if(TARGET pelc)
  add_test(NAME compiler/graph_decisions
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_graph_decisions.sh $<TARGET_FILE:pelc> ${PROJECT_SOURCE_DIR})
  set_tests_properties(compiler/graph_decisions PROPERTIES LABELS "compiler" TIMEOUT 60)
endif()

# fixed(x, d) against C's printf("%.*f") on 10^5 random doubles
if(TARGET pelc AND TARGET pel)
  add_test(NAME compiler/fixed_printf
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_fixed_printf.sh $<TARGET_FILE:pelc> $<TARGET_FILE:pel> ${PROJECT_SOURCE_DIR})
  set_tests_properties(compiler/fixed_printf PROPERTIES LABELS "compiler" TIMEOUT 120)
endif()
