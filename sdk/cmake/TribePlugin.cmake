# tribe_add_plugin(<name> <source>...)
#
# Builds a Tribe plugin as a shared library named <name>.so. The folders migrations/, templates/
# and messages/ beside the calling CMakeLists.txt are embedded into it (see tribe/sdk/bundle.hpp),
# and the build refuses any source that includes a kernel header: plugins see only the SDK.
function(tribe_add_plugin name)
  # The folder of this file, wherever the function is called from (a directory variable set at
  # include time is not visible in sibling directories of the Tribe tree).
  set(_TRIBE_PLUGIN_CMAKE_DIR ${CMAKE_CURRENT_FUNCTION_LIST_DIR})
  set(sources ${ARGN})
  if(NOT sources)
    message(FATAL_ERROR "tribe_add_plugin(${name}): name at least one source file")
  endif()
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB bundled CONFIGURE_DEPENDS RELATIVE ${dir}
    ${dir}/migrations/*.sql ${dir}/templates/*.mustache ${dir}/messages/*.yaml)
  list(TRANSFORM bundled PREPEND ${dir}/ OUTPUT_VARIABLE bundled_abs)
  file(GLOB_RECURSE own_code CONFIGURE_DEPENDS ${dir}/*.cpp ${dir}/*.hpp ${dir}/*.h)
  list(FILTER own_code EXCLUDE REGEX "/tests/")

  set(bundle_cpp ${CMAKE_CURRENT_BINARY_DIR}/${name}_bundle.cpp)
  add_custom_command(OUTPUT ${bundle_cpp}
    COMMAND ${CMAKE_COMMAND} -DROOT=${dir} "-DFILES=${bundled}" -DOUTPUT=${bundle_cpp}
            -DFUNCTION=tribe::sdk::bundled_files -DHEADER=tribe/sdk/bundle.hpp
            -P ${_TRIBE_PLUGIN_CMAKE_DIR}/TribeEmbedFiles.cmake
    DEPENDS ${bundled_abs} ${_TRIBE_PLUGIN_CMAKE_DIR}/TribeEmbedFiles.cmake
    COMMENT "Embedding ${name}'s migrations, templates and messages" VERBATIM)

  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${name}_includes.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DPLUGIN=${name} "-DFILES=${own_code}" -DSTAMP=${stamp}
            -P ${_TRIBE_PLUGIN_CMAKE_DIR}/TribeCheckIncludes.cmake
    DEPENDS ${own_code} ${_TRIBE_PLUGIN_CMAKE_DIR}/TribeCheckIncludes.cmake
    COMMENT "Checking that ${name} includes only SDK headers" VERBATIM)

  add_library(${name} MODULE ${sources} ${bundle_cpp} ${stamp})
  target_link_libraries(${name} PRIVATE TribeSDK::sdk)
  # GCC marks static locals of inline std templates STB_GNU_UNIQUE, and glibc never unloads a
  # library holding such a symbol; without them a released plugin is really unloaded.
  target_compile_options(${name} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED TRIBE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${TRIBE_PLUGIN_OUTPUT_DIR})
  endif()
endfunction()
