# find_package(TribeSDK) for plugin authors: gives TribeSDK::sdk and tribe_add_plugin().
include(CMakeFindDependencyMacro)
find_dependency(Boost 1.74)
find_dependency(nlohmann_json 3.10)
include(${CMAKE_CURRENT_LIST_DIR}/TribeSDKTargets.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/TribePlugin.cmake)
