# leak/NAME: every golden program run once under valgrind (run_leak.sh says
# what counts as a failure). Label: leak.
find_program(PEL_VALGRIND valgrind)
if(TARGET pelc AND PEL_VALGRIND AND NOT PEL_SANITIZE)
  file(GLOB _pel_leak_programs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/programs/*.pel)
  foreach(_prog IN LISTS _pel_leak_programs)
    get_filename_component(_name ${_prog} NAME_WE)
    add_test(NAME leak/${_name}
      COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_leak.sh
              $<TARGET_FILE:pelc> ${CMAKE_CURRENT_SOURCE_DIR}/programs ${_name})
    set_tests_properties(leak/${_name} PROPERTIES LABELS leak TIMEOUT 700)
  endforeach()
endif()
