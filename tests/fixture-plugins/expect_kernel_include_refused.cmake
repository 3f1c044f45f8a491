# cmake -DCHECK=TribeCheckIncludes.cmake -DSOURCE=bad.cpp -DSTAMP=file -P this
# Passes only when the include check fails, names SOURCE's offending line and header, and leaves
# no stamp (so the plugin build would stop).
file(REMOVE ${STAMP})
execute_process(COMMAND ${CMAKE_COMMAND} -DPLUGIN=bad "-DFILES=${SOURCE}" -DSTAMP=${STAMP}
  -P ${CHECK} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "the include check accepted ${SOURCE}, which includes a kernel header")
endif()
if(EXISTS ${STAMP})
  message(FATAL_ERROR "the include check failed but still wrote its stamp ${STAMP}")
endif()
set(expected "${SOURCE}:3: plugin 'bad' includes the kernel header 'kernel/http/server.hpp'")
# CMake wraps long error messages; compare with every run of white space made one space.
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${output}")
string(FIND "${flat}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the include check failed without naming file:line and header; expected\n"
    "  ${expected}\nin\n${output}")
endif()
message(STATUS "refused as expected: ${expected}")
