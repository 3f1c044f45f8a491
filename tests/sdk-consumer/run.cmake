# cmake -DTRIBE_BUILD_DIR=<tribe build> -DCONSUMER_SOURCE=<this folder> -DWORK_DIR=<scratch>
#       -DCXX_COMPILER=<the kernel's compiler> -DLOADER="<program>;<args before the folder>" -P this
# Installs Tribe into WORK_DIR/prefix, builds the consumer plugin against that install in
# WORK_DIR/build, and requires the LOADER to report hello_tribe loaded and nothing refused.
foreach(required TRIBE_BUILD_DIR CONSUMER_SOURCE WORK_DIR CXX_COMPILER LOADER)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run.cmake needs -D${required}=...")
  endif()
endforeach()

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
step("installing Tribe" ${CMAKE_COMMAND} --install ${TRIBE_BUILD_DIR} --prefix ${WORK_DIR}/prefix)
step("configuring the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${WORK_DIR}/build
  -G Ninja -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
step("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
if(NOT EXISTS ${WORK_DIR}/build/hello_tribe.so)
  message(FATAL_ERROR "the consumer build made no ${WORK_DIR}/build/hello_tribe.so")
endif()

execute_process(COMMAND ${LOADER} ${WORK_DIR}/build RESULT_VARIABLE result
  OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT output MATCHES "hello_tribe" OR output MATCHES "refused")
  message(FATAL_ERROR "the kernel did not load the consumer plugin cleanly (exit ${result}):\n"
    "${output}")
endif()
message(STATUS "loaded:\n${output}")
