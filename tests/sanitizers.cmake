# asan: the whole project rebuilt with -fsanitize=address,undefined in a
# sub-build (build/asan), where its unit and golden tests run; compiled PEL
# programs are linked with the sanitizers too. (tsan: see runtime.cmake.)
if(NOT PEL_SANITIZE)
  add_test(NAME asan/all
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/run_asan.sh ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/asan)
  set_tests_properties(asan/all PROPERTIES LABELS asan TIMEOUT 1800)
endif()
