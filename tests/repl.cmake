# Tests of the pel tool's REPL and command line (label `repl`; included
# from tests/CMakeLists.txt).
#
#   repl/NAME      tests/repl/NAME.in is piped into pel (stdin not a
#                  terminal): stdout+stderr must equal NAME.out, the status
#                  NAME.status (run_repl.sh says how)
#   repl/cli       pel -e, pel prog.pel args..., a #!/usr/bin/env pel script,
#                  bad invocations (run_pel_cli.sh)
#   repl/errors_as_pelc  every tests/errors program gives pelc's diagnostics
#                  through `pel prog.pel` (run_pel_errors.sh)
#   repl/terminal  the REPL on a pseudo-terminal: typing, editing keys,
#                  Ctrl-C, history, Ctrl-D (repl_pty.py, Python 3 only)
if(TARGET pel)
  file(GLOB _pel_repl_sessions CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/repl/*.in)
  foreach(_in IN LISTS _pel_repl_sessions)
    get_filename_component(_name ${_in} NAME_WE)
    add_test(NAME repl/${_name}
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_repl.sh
              $<TARGET_FILE:pel> ${CMAKE_CURRENT_SOURCE_DIR}/repl ${_name})
    set_tests_properties(repl/${_name} PROPERTIES LABELS repl TIMEOUT 300)
  endforeach()

  add_test(NAME repl/cli
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_pel_cli.sh $<TARGET_FILE:pel>)
  set_tests_properties(repl/cli PROPERTIES LABELS repl TIMEOUT 300)

  if(TARGET pelc)
    add_test(NAME repl/errors_as_pelc
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_pel_errors.sh
              $<TARGET_FILE:pelc> $<TARGET_FILE:pel> ${CMAKE_CURRENT_SOURCE_DIR}/errors)
    set_tests_properties(repl/errors_as_pelc PROPERTIES LABELS repl TIMEOUT 300)
  endif()

  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    add_test(NAME repl/terminal
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/repl_pty.py $<TARGET_FILE:pel>)
    set_tests_properties(repl/terminal PROPERTIES LABELS repl TIMEOUT 120)
  endif()
endif()
