# Runtime unit tests (label "runtime"); each is built twice, the second time
# against pelrt_tsan under ThreadSanitizer (labels "runtime" and "tsan").
foreach(t deque steal format errors mem par sort strfn abi)
  set(src ${CMAKE_CURRENT_LIST_DIR}/unit/test_rt_${t}.c)
  pel_unit_test(test_rt_${t} SOURCES ${src} LIBS pelrt LABELS runtime)
  if(TARGET pelrt_tsan)
    pel_unit_test(test_rt_${t}_tsan SOURCES ${src} LIBS pelrt_tsan LABELS runtime tsan)
    target_compile_definitions(test_rt_${t}_tsan PRIVATE PEL_TEST_TSAN=1)
    # A report is a failure, with a status no test uses.
    set_property(TEST test_rt_${t}_tsan APPEND PROPERTY ENVIRONMENT
      "TSAN_OPTIONS=halt_on_error=1:exitcode=66")
  endif()
endforeach()
