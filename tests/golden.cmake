# End-to-end tests of the compiler (included from tests/CMakeLists.txt).
#
#   golden/NAME   tests/programs/NAME.pel is compiled and run with 1 and 2
#                 workers; stdout, stderr and exit status must equal NAME.out,
#                 NAME.err and NAME.status (run_golden.sh says how).
#   errors/NAME   tests/errors/NAME.pel must fail to compile with the expected
#                 diagnostic (run_error.sh says how).
#   golden/bad_input  pelc on a missing file, a directory, a 10 MB program,
#                 no arguments and an unknown flag.
#
# A program added to either folder is picked up at the next configure
# (CONFIGURE_DEPENDS re-globs on every build).

option(PEL_GOLDEN_JIT "Also run the golden programs through the pel JIT tool" ON)

if(TARGET pelc)
  set(_pel_golden_dir ${CMAKE_CURRENT_SOURCE_DIR}/programs)
  set(_pel_errors_dir ${CMAKE_CURRENT_SOURCE_DIR}/errors)
  set(_pel_jit "")
  if(PEL_GOLDEN_JIT AND TARGET pel)
    set(_pel_jit $<TARGET_FILE:pel>)
  endif()

  file(GLOB _pel_golden_programs CONFIGURE_DEPENDS ${_pel_golden_dir}/*.pel)
  foreach(_prog IN LISTS _pel_golden_programs)
    get_filename_component(_name ${_prog} NAME_WE)
    add_test(NAME golden/${_name}
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_golden.sh
              $<TARGET_FILE:pelc> ${_pel_golden_dir} ${_name} ${_pel_jit})
    # two runs of up to 60 s each, the JIT run, and the compile
    set_tests_properties(golden/${_name} PROPERTIES LABELS golden TIMEOUT 300)
  endforeach()

  # tsan: every golden program linked with ThreadSanitizer against the
  # runtime built with it, run at PEL_WORKERS=2 (the data races that
  # matter are the runtime's: generated code is not instrumented)
  if(TARGET pelrt_tsan AND NOT PEL_SANITIZE)
    foreach(_prog IN LISTS _pel_golden_programs)
      get_filename_component(_name ${_prog} NAME_WE)
      add_test(NAME golden_tsan/${_name}
        COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_CURRENT_SOURCE_DIR}/cc_tsan.sh
                PEL_RUNTIME_LIB=$<TARGET_FILE:pelrt_tsan> GOLDEN_WORKERS=2
                TSAN_OPTIONS=halt_on_error=1:exitcode=66
                bash ${CMAKE_CURRENT_SOURCE_DIR}/run_golden.sh
                $<TARGET_FILE:pelc> ${_pel_golden_dir} ${_name})
      set_tests_properties(golden_tsan/${_name} PROPERTIES LABELS tsan TIMEOUT 300)
    endforeach()
  endif()

  # The glob lists directories too: errors/directory.pel is one on purpose.
  file(GLOB _pel_error_programs CONFIGURE_DEPENDS ${_pel_errors_dir}/*.pel)
  foreach(_prog IN LISTS _pel_error_programs)
    get_filename_component(_name ${_prog} NAME_WE)
    add_test(NAME errors/${_name}
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_error.sh
              $<TARGET_FILE:pelc> ${_pel_errors_dir} ${_name})
    set_tests_properties(errors/${_name} PROPERTIES LABELS errors TIMEOUT 120)
  endforeach()

  add_test(NAME golden/bad_input
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_error.sh
            --bad-input $<TARGET_FILE:pelc>)
  set_tests_properties(golden/bad_input PROPERTIES LABELS errors TIMEOUT 400)
endif()

# One test per folder of tests/KIND/, named KIND/NAME:
#   bash run_SCRIPT.sh BEFORE... tests/KIND NAME AFTER...
function(pel_folder_tests kind script labels)
  cmake_parse_arguments(P "" "" "BEFORE;AFTER" ${ARGN})
  file(GLOB _cases CONFIGURE_DEPENDS LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/${kind}/*)
  foreach(_case IN LISTS _cases)
    if(IS_DIRECTORY ${_case})
      get_filename_component(_name ${_case} NAME)
      add_test(NAME ${kind}/${_name}
        COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${script} ${P_BEFORE} ${CMAKE_CURRENT_SOURCE_DIR}/${kind} ${_name}
                ${P_AFTER})
      set_tests_properties(${kind}/${_name} PROPERTIES LABELS "${labels}" TIMEOUT 300)
    endif()
  endforeach()
endfunction()

if(TARGET pelc AND TARGET pel)
  # modules/NAME: a program of several modules (run_modules.sh)
  pel_folder_tests(modules run_modules.sh "golden;modules" BEFORE $<TARGET_FILE:pelc> $<TARGET_FILE:pel>)
endif()
if(TARGET pelc)
  # ffi/NAME: a program calling the C files beside it (run_ffi.sh)
  pel_folder_tests(ffi run_ffi.sh "golden;ffi" BEFORE $<TARGET_FILE:pelc>
                   AFTER $<$<TARGET_EXISTS:pel>:$<TARGET_FILE:pel>>)
  # embed/NAME: a C program calling a PEL module's export fns (run_embed.sh)
  pel_folder_tests(embed run_embed.sh "golden;ffi"
                   BEFORE $<TARGET_FILE:pelc> ${PROJECT_SOURCE_DIR}/runtime ${CMAKE_BINARY_DIR}/lib
                   AFTER "$<$<BOOL:${PEL_SANITIZE}>:-fsanitize=address,undefined>")
endif()
