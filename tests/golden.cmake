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

# modules/NAME: a program of several modules, tests/modules/NAME/main.pel
# and what it imports (run_modules.sh says how).
if(TARGET pelc AND TARGET pel)
  file(GLOB _pel_module_tests CONFIGURE_DEPENDS LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/modules/*)
  foreach(_case IN LISTS _pel_module_tests)
    if(IS_DIRECTORY ${_case})
      get_filename_component(_name ${_case} NAME)
      add_test(NAME modules/${_name}
        COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_modules.sh
                $<TARGET_FILE:pelc> $<TARGET_FILE:pel> ${CMAKE_CURRENT_SOURCE_DIR}/modules ${_name})
      set_tests_properties(modules/${_name} PROPERTIES LABELS "golden;modules" TIMEOUT 300)
    endif()
  endforeach()
endif()

# ffi/NAME: a program calling the C files beside it (run_ffi.sh says how)
if(TARGET pelc)
  file(GLOB _pel_ffi_tests CONFIGURE_DEPENDS LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/ffi/*)
  foreach(_case IN LISTS _pel_ffi_tests)
    if(IS_DIRECTORY ${_case})
      get_filename_component(_name ${_case} NAME)
      add_test(NAME ffi/${_name}
        COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_ffi.sh $<TARGET_FILE:pelc> ${CMAKE_CURRENT_SOURCE_DIR}/ffi ${_name}
                $<$<TARGET_EXISTS:pel>:$<TARGET_FILE:pel>>)
      set_tests_properties(ffi/${_name} PROPERTIES LABELS "golden;ffi" TIMEOUT 300)
    endif()
  endforeach()
endif()

# embed/NAME: a C program calling a PEL module's export fns (run_embed.sh)
if(TARGET pelc)
  file(GLOB _pel_embed_tests CONFIGURE_DEPENDS LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/embed/*)
  foreach(_case IN LISTS _pel_embed_tests)
    if(IS_DIRECTORY ${_case})
      get_filename_component(_name ${_case} NAME)
      add_test(NAME embed/${_name}
        COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_embed.sh $<TARGET_FILE:pelc> ${PROJECT_SOURCE_DIR}/runtime
                ${CMAKE_BINARY_DIR}/lib ${CMAKE_CURRENT_SOURCE_DIR}/embed ${_name}
                "$<$<BOOL:${PEL_SANITIZE}>:-fsanitize=address,undefined>")
      set_tests_properties(embed/${_name} PROPERTIES LABELS "golden;ffi" TIMEOUT 300)
    endif()
  endforeach()
endif()
