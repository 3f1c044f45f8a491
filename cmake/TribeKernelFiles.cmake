# tribe_embed_kernel_files(<target> FUNCTION <ns::fn>)
# Embeds the templates/*.mustache and messages/*.yaml beside the calling CMakeLists.txt into
# <target> as `std::span<const tribe::sdk::BundledFile> ns::fn()`, the way tribe_add_plugin embeds
# a plugin's files.
function(tribe_embed_kernel_files target)
  cmake_parse_arguments(ARG "" "FUNCTION" "" ${ARGN})
  set(root ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB files CONFIGURE_DEPENDS RELATIVE ${root}
    ${root}/templates/*.mustache ${root}/messages/*.yaml)
  list(TRANSFORM files PREPEND ${root}/ OUTPUT_VARIABLE absolute)
  string(MAKE_C_IDENTIFIER ${ARG_FUNCTION} stem)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${stem}.cpp)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DROOT=${root} "-DFILES=${files}" -DOUTPUT=${output}
            -DFUNCTION=${ARG_FUNCTION} -DHEADER=tribe/sdk/bundle.hpp
            -P ${PROJECT_SOURCE_DIR}/sdk/cmake/TribeEmbedFiles.cmake
    DEPENDS ${absolute} ${PROJECT_SOURCE_DIR}/sdk/cmake/TribeEmbedFiles.cmake VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()
